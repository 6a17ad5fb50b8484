package e2e

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryTestRunsInParallel: each test of this package calls
// t.Parallel() as its first statement, or its doc comment says in a line
// "Serial: REASON" why it must run without the others. A test that
// forgot runs alone before the parallel ones and makes the suite longer.
func TestEveryTestRunsInParallel(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Test") || fn.Name.Name == "TestMain" {
				continue
			}
			if callsParallelFirst(fn) || strings.Contains(fn.Doc.Text(), "\nSerial: ") || strings.HasPrefix(fn.Doc.Text(), "Serial: ") {
				continue
			}
			t.Errorf("%s: %s does not call t.Parallel() first: add it (the package doc says what a parallel test keeps to), or say why not in a doc comment line \"Serial: REASON\"",
				fset.Position(fn.Pos()), fn.Name.Name)
		}
	}
}

// callsParallelFirst reports whether fn's first statement is t.Parallel().
func callsParallelFirst(fn *ast.FuncDecl) bool {
	if fn.Body == nil || len(fn.Body.List) == 0 {
		return false
	}
	expr, ok := fn.Body.List[0].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := expr.X.(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Parallel"
}
