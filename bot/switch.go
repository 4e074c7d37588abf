package bot

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"
)

// LLMSwitch is an operator's switch for the LLM, kept in a small file of
// the data folder (or, with several replicas, a setting in PostgreSQL) so
// that `minsheng llm off` reaches a server that is running, and stays off
// across restarts until `minsheng llm on`.
type LLMSwitch struct {
	On      bool      `json:"on"`
	Changed time.Time `json:"changed,omitzero"`
}

// ReadLLMSwitch reads the switch at path; without a file the LLM is on.
func ReadLLMSwitch(path string) (LLMSwitch, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return LLMSwitch{On: true}, nil
	}
	if err != nil {
		return LLMSwitch{}, fmt.Errorf("LLM switch: %w", err)
	}
	return DecodeLLMSwitch(raw, path)
}

// DecodeLLMSwitch reads a switch as ReadLLMSwitch and WriteLLMSwitch keep
// it (JSON); where names its place in the error.
func DecodeLLMSwitch(raw []byte, where string) (LLMSwitch, error) {
	var s LLMSwitch
	if err := json.Unmarshal(raw, &s); err != nil {
		return LLMSwitch{}, fmt.Errorf("LLM switch %s is unreadable: %w; write it again with `minsheng llm on` or `minsheng llm off`", where, err)
	}
	return s, nil
}

// WriteLLMSwitch sets the switch at path, atomically.
func WriteLLMSwitch(path string, s LLMSwitch) error {
	if err := writeJSONAtomic(path, s); err != nil {
		return fmt.Errorf("LLM switch: %w", err)
	}
	return nil
}
