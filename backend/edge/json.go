package edge

import (
	"encoding/json"
	"net/http"
)

// WriteJSON answers v as JSON with status: the one way every surface answers JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
