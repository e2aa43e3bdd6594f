package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sp404agent/sp404agent/internal/library"
)

// statusFor maps a domain error code to its HTTP status (design.md §6).
func statusFor(code library.Code) int {
	switch code {
	case library.CodeInvalid:
		return http.StatusUnprocessableEntity
	case library.CodeNotFound:
		return http.StatusNotFound
	case library.CodeConflict:
		return http.StatusConflict
	case library.CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case library.CodeUnsupported:
		return http.StatusUnsupportedMediaType
	}
	return http.StatusInternalServerError
}

// problemFor turns any error into the problem the client sees. This is the one place errors become
// responses: coded errors show their safe message; anything else is logged in full and the client
// gets a generic message with the request id to quote.
func problemFor(ctx context.Context, log *slog.Logger, err error) (int, string) {
	var se huma.StatusError
	if errors.As(err, &se) {
		return se.GetStatus(), se.Error()
	}
	if errors.Is(err, context.Canceled) {
		return 499, "request cancelled"
	}
	code := library.ErrorCode(err)
	status := statusFor(code)
	if code == library.CodeInternal {
		log.ErrorContext(ctx, "request failed", "err", err, "request_id", RequestID(ctx))
		return status, "internal error (request id " + RequestID(ctx) + ")"
	}
	return status, library.ErrorMessage(err)
}

// humaError converts an error for huma handlers.
func humaError(ctx context.Context, log *slog.Logger, err error) error {
	var he huma.HeadersError
	if errors.As(err, &he) {
		return err // already a response, with its headers (Retry-After)
	}
	status, detail := problemFor(ctx, log, err)
	return huma.NewError(status, detail)
}

// writeProblem writes an RFC 9457 problem from a plain handler, shaped like huma's.
func writeProblem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(huma.ErrorModel{Title: http.StatusText(status), Status: status, Detail: detail})
}

// writeError writes any error as a problem from a plain handler.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	status, detail := problemFor(r.Context(), log, err)
	writeProblem(w, status, detail)
}

// register is huma.Register with the error mapping above applied to every handler.
func register[I, O any](api huma.API, log *slog.Logger, op huma.Operation, fn func(context.Context, *I) (*O, error)) {
	huma.Register(api, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := fn(ctx, in)
		if err != nil {
			return nil, humaError(ctx, log, err)
		}
		return out, nil
	})
}
