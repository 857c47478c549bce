package fsops

import (
	"context"
	"testing"
)

func BenchmarkResolve(b *testing.B) {
	fx := newFixture(b)
	s := fx.sandbox(b)
	for _, p := range []string{"a/b/file.txt", "chain/file.txt", "data:x/new/file"} {
		b.Run(p, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Resolve(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkLandingPath(b *testing.B) {
	fx := newFixture(b)
	s := fx.sandbox(b)
	for b.Loop() {
		if _, err := s.LandingPath("/a", "b/new/file.bin"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAsUser(b *testing.B) {
	id := testAccount(b)
	for b.Loop() {
		if err := AsUser(id, func() error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLsAsUser(b *testing.B) {
	id := testAccount(b)
	fx := newFixture(b)
	openTree(b, fx.root)
	o := Ops{Sandbox: fx.sandbox(b), ID: id}
	ctx := context.Background()
	for b.Loop() {
		if _, _, err := o.Ls(ctx, "/", false); err != nil {
			b.Fatal(err)
		}
	}
}
