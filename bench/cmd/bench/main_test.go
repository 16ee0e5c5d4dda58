package main

import (
	"slices"
	"testing"
)

func TestParseWorkloads(t *testing.T) {
	got, err := parseWorkloads("select1, tpch,copy,tpch")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"tpch", "copy", "select1"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v (allWorkloads' order, once each)", got, want)
	}
	if _, err := parseWorkloads("tpch,oltp"); err == nil {
		t.Error("an unknown workload was accepted")
	}
}
