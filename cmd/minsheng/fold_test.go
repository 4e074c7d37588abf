package main

import "github.com/minsheng/minsheng/retrieval"

// Fold lets tests compare answers the way the evaluation does.
func Fold(s string) string { return retrieval.Fold(s) }
