package advocateloop

import _ "embed"

// OpenAPI is the API contract (openapi.yaml), shared by the server, its docs and the contract tests.
//
//go:embed openapi.yaml
var OpenAPI []byte
