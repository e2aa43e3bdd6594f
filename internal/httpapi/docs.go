package httpapi

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sp404agent/sp404agent/internal/analysis"
)

// documentPlainRoutes describes in OpenAPI the routes served by plain handlers (streamed
// uploads and byte-range audio), so the document covers the whole API.
func (s *Server) documentPlainRoutes() {
	reg := s.api.OpenAPI().Components.Schemas
	problem := map[string]*huma.MediaType{"application/problem+json": {Schema: reg.Schema(typeOf[huma.ErrorModel](), true, "")}}
	errResp := func(desc string) *huma.Response { return &huma.Response{Description: desc, Content: problem} }
	multipart := &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
		"multipart/form-data": {Schema: &huma.Schema{
			Type: huma.TypeObject, Required: []string{"file"},
			Properties: map[string]*huma.Schema{
				"file": {Type: huma.TypeString, Format: "binary", Description: "Audio file (WAV, AIFF, MP3, FLAC, Ogg Vorbis); repeat the part for several files"},
				"tags": {Type: huma.TypeString, Description: "Comma-separated tags for every file"},
			},
		}},
	}}
	s.api.OpenAPI().AddOperation(&huma.Operation{
		OperationID: "upload-samples", Method: http.MethodPost, Path: "/api/v1/samples", Tags: []string{"samples"},
		Summary:     "Upload one or more audio files",
		Description: "Files are identified by content: uploading the same bytes again returns the existing sample with duplicate=true. Analysis is queued.",
		RequestBody: multipart,
		Responses: map[string]*huma.Response{
			"201": {Description: "At least one sample was added", Content: map[string]*huma.MediaType{
				"application/json": {Schema: reg.Schema(typeOf[uploadResponse](), true, "")}}},
			"200": {Description: "Every file was already in the library"},
			"413": errResp("A file or the request is too large"),
			"415": errResp("Not multipart, or a file is not audio we can read"),
			"422": errResp("No file part, or invalid tags"),
		},
	})
	s.api.OpenAPI().AddOperation(&huma.Operation{
		OperationID: "analyze-upload", Method: http.MethodPost, Path: "/api/v1/samples/analyze", Tags: []string{"samples"},
		Summary:     "Analyse one file without adding it to the library",
		RequestBody: multipart,
		Responses: map[string]*huma.Response{
			"200": {Description: "The analysis (design.md §7)", Content: map[string]*huma.MediaType{
				"application/json": {Schema: reg.Schema(typeOf[analysis.Result](), true, "")}}},
			"413": errResp("The file is too large"),
			"415": errResp("Not audio we can read"),
		},
	})
	s.api.OpenAPI().AddOperation(&huma.Operation{
		OperationID: "import-kit", Method: http.MethodPost, Path: "/api/v1/kits/import", Tags: []string{"kits"},
		Summary:     "Bring an SX/A card or MKII project (as a ZIP) into the library as samples and a kit",
		Description: "Importing a project and exporting it again to the same target reproduces its PADCONF.BIN / PAD_INFO.BIN.",
		RequestBody: &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
			"multipart/form-data": {Schema: &huma.Schema{
				Type: huma.TypeObject, Required: []string{"file"},
				Properties: map[string]*huma.Schema{
					"file": {Type: huma.TypeString, Format: "binary", Description: "ZIP of ROLAND/SP-404SX/SMPL/… or a PROJECT folder"},
					"name": {Type: huma.TypeString, Description: "Kit name (default: the project's)"},
				},
			}},
		}},
		Responses: map[string]*huma.Response{
			"201": {Description: "The kit and what the import noticed", Content: map[string]*huma.MediaType{
				"application/json": {Schema: reg.Schema(typeOf[importKitResponse](), true, "")}}},
			"413": errResp("The ZIP is too large"),
			"422": errResp("Not a card or project, or an unsafe ZIP"),
		},
	})
	s.api.OpenAPI().AddOperation(&huma.Operation{
		OperationID: "download-export", Method: http.MethodGet, Path: "/api/v1/exports/{id}/download", Tags: []string{"exports"},
		Summary: "The ZIP of a finished export",
		Parameters: []*huma.Param{
			{Name: "id", In: "path", Required: true, Schema: &huma.Schema{Type: huma.TypeInteger, Minimum: ptr(1.0)}},
		},
		Responses: map[string]*huma.Response{
			"200": {Description: "The ZIP", Content: map[string]*huma.MediaType{"application/zip": {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}}},
			"404": errResp("No such export, or its file is gone"),
			"409": errResp("The export is not done"),
		},
	})
	s.api.OpenAPI().AddOperation(&huma.Operation{
		OperationID: "get-sample-audio", Method: http.MethodGet, Path: "/api/v1/samples/{id}/audio", Tags: []string{"samples"},
		Summary: "The original audio file (supports Range, ETag, If-None-Match)",
		Parameters: []*huma.Param{
			{Name: "id", In: "path", Required: true, Schema: &huma.Schema{Type: huma.TypeInteger, Minimum: ptr(1.0)}},
			{Name: "Range", In: "header", Schema: &huma.Schema{Type: huma.TypeString}},
		},
		Responses: map[string]*huma.Response{
			"200": {Description: "The whole file", Content: map[string]*huma.MediaType{"audio/*": {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}}},
			"206": {Description: "The requested byte range"},
			"304": {Description: "Not modified"},
			"404": errResp("No such sample"),
			"416": {Description: "Range not satisfiable"},
		},
	})
}

func ptr[T any](v T) *T { return &v }
