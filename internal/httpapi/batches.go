package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/coder/websocket"
	"github.com/danielgtaylor/huma/v2"

	"github.com/sp404agent/sp404agent/internal/events"
	"github.com/sp404agent/sp404agent/internal/library"
)

type createBatchInput struct {
	Body library.BatchInput
}

type batchOutput struct {
	Body *library.Batch
}

type batchIDInput struct {
	ID int64 `path:"id" minimum:"1"`
}

type listBatchesInput struct {
	Page  int `query:"page" minimum:"1" maximum:"1000000" default:"1"`
	Limit int `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

type batchPageOutput struct {
	Body library.Page[library.Batch]
}

func (s *Server) registerBatches() {
	tags := []string{"batches"}
	register(s.api, s.log, huma.Operation{
		OperationID: "create-batch", Method: http.MethodPost, Path: "/api/v1/batches", Tags: tags,
		Summary:       "Import a server-side folder (inside IMPORT_ROOTS) recursively; watch it on WS /ws/batches/{id}",
		DefaultStatus: http.StatusAccepted,
	}, func(ctx context.Context, in *createBatchInput) (*batchOutput, error) {
		b, err := s.lib.CreateBatch(ctx, in.Body)
		if err != nil {
			return nil, err
		}
		return &batchOutput{Body: b}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "list-batches", Method: http.MethodGet, Path: "/api/v1/batches", Tags: tags, Summary: "Folder imports, newest first",
	}, func(ctx context.Context, in *listBatchesInput) (*batchPageOutput, error) {
		page, err := s.lib.Batches(ctx, in.Page, in.Limit)
		if err != nil {
			return nil, err
		}
		return &batchPageOutput{Body: page}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "get-batch", Method: http.MethodGet, Path: "/api/v1/batches/{id}", Tags: tags,
		Summary: "Totals, done, failures with reasons, duplicates skipped, rate and ETA",
	}, func(ctx context.Context, in *batchIDInput) (*batchOutput, error) {
		b, err := s.lib.Batch(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &batchOutput{Body: b}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "cancel-batch", Method: http.MethodPost, Path: "/api/v1/batches/{id}/cancel", Tags: tags,
		Summary: "Stop an import (files already added stay)",
	}, func(ctx context.Context, in *batchIDInput) (*batchOutput, error) {
		b, err := s.lib.CancelBatch(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &batchOutput{Body: b}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "retry-batch", Method: http.MethodPost, Path: "/api/v1/batches/{id}/retry", Tags: tags,
		Summary: "Run only the failed files of a finished import again", DefaultStatus: http.StatusAccepted,
	}, func(ctx context.Context, in *batchIDInput) (*batchOutput, error) {
		b, err := s.lib.RetryBatch(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &batchOutput{Body: b}, nil
	})
}

// batchSocket streams an import's progress (design.md §6): the current state at once, then each
// change, then {"type":"complete"} when it stops.
func (s *Server) batchSocket(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer c.CloseNow()
	ctx := c.CloseRead(r.Context())
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		c.Close(closeBadRequest, "batch id must be a positive whole number")
		return
	}
	var sub <-chan events.Event // nil without a broker: blocks forever in the select
	if s.opts.Events != nil {
		ch, cancel := s.opts.Events.Subscribe(library.BatchTopic(id))
		defer cancel()
		sub = ch
	}
	b, err := s.lib.Batch(ctx, id) // after subscribing, so no change falls between the two
	if err != nil {
		if library.ErrorCode(err) == library.CodeNotFound {
			c.Close(closeUnknownSample, "batch not found")
			return
		}
		c.Close(websocket.StatusInternalError, "internal error")
		return
	}
	if err := writeWS(ctx, c, wsMessage{Type: "progress", Data: b.Progress("")}); err != nil {
		return
	}
	if b.Finished() {
		writeWS(ctx, c, wsMessage{Type: "complete"})
		c.Close(websocket.StatusNormalClosure, "")
		return
	}
	// Poll as well as listen: without a relay, progress made by another process reaches this
	// one only through the database; with one, polling only covers events it had to drop.
	every := time.Second
	if s.opts.Events != nil && s.opts.Events.Relayed() {
		every = 5 * time.Second
	}
	poll := time.NewTicker(every)
	defer poll.Stop()
	for {
		select {
		case m, ok := <-sub:
			if !ok {
				sub = nil // dropped as too slow: keep polling
				continue
			}
			if err := writeWS(ctx, c, wsMessage{Type: m.Type, Data: m.Data}); err != nil {
				return
			}
			if m.Type == "complete" {
				c.Close(websocket.StatusNormalClosure, "")
				return
			}
		case <-poll.C:
			b, err := s.lib.Batch(ctx, id)
			if err != nil {
				return
			}
			if err := writeWS(ctx, c, wsMessage{Type: "progress", Data: b.Progress("")}); err != nil {
				return
			}
			if b.Finished() {
				writeWS(ctx, c, wsMessage{Type: "complete"})
				c.Close(websocket.StatusNormalClosure, "")
				return
			}
		case <-ctx.Done():
			return
		}
	}
}
