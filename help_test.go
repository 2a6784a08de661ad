package main

import (
	"go/parser"
	"go/token"
	"slices"
	"strings"
	"testing"

	"github.com/camwall/camwall/app/cli"
)

// `camwall --help` shows every sub-command's command line and summary, from
// the same table that dispatches them.
func TestHelpNamesEverySubCommand(t *testing.T) {
	stdout, stderr, code := runCamwall(t, camwallBinary(t), "--help")
	if code != 0 {
		t.Errorf("exit code %d, want 0\nstderr:\n%s", code, stderr)
	}
	help := stdout + stderr
	for _, c := range cli.Commands() {
		for _, want := range []string{"camwall " + c.Usage + "\n", c.Name + " ", c.Summary} {
			if !strings.Contains(help, want) {
				t.Errorf("help lacks %q (sub-command %s):\n%s", want, c.Name, help)
			}
		}
	}
}

// main.go's package comment lists every sub-command's command line as the
// table has it, so that the comment cannot drift from the commands.
func TestHeaderCommentListsEverySubCommand(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", nil, parser.PackageClauseOnly|parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	if f.Doc == nil {
		t.Fatal("main.go has no package comment")
	}
	lines := strings.Split(f.Doc.Text(), "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	for _, c := range cli.Commands() {
		if want := "camwall " + c.Usage; !slices.Contains(lines, want) {
			t.Errorf("main.go's package comment lacks the line %q:\n%s", want, f.Doc.Text())
		}
	}
}
