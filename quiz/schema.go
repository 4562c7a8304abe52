package quiz

import _ "embed"

// SchemaID is the $id of the pack format's JSON Schema.
const SchemaID = "https://pyquiz.dev/schema/pack-v1.json"

// Schema is the JSON Schema (draft-07) of pack format v1, for editors.
// Parse enforces more than the schema can say (answers within the choices,
// unique ids, outcomes that do not overlap).
//
//go:embed schema.json
var Schema []byte
