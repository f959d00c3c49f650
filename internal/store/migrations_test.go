package store

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestMigrations(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	all, err := Migrations(fstest.MapFS{
		"m/0010_b.sql": file("B"), "m/0002_a.sql": file("A"), "m/0011_c.sql": file("C"),
	}, "m")
	if err != nil || len(all) != 3 || all[0].Name != "0002_a.sql" || all[0].SQL != "A" || all[2].Version != 11 {
		t.Fatalf("ordered: %+v, %v", all, err)
	}
	for _, tc := range []struct {
		fs   fstest.MapFS
		want string
	}{
		{fstest.MapFS{"m/0003_a.sql": file("A"), "m/0003_b.sql": file("B")}, "share version 3"},
		{fstest.MapFS{"m/three_a.sql": file("A")}, "not named NNNN_name.sql"},
		{fstest.MapFS{"m/0004.sql": file("A")}, "not named NNNN_name.sql"},
		{fstest.MapFS{}, "read migrations"},
	} {
		if _, err := Migrations(tc.fs, "m"); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.fs, err, tc.want)
		}
	}
}
