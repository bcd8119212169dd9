package tools

import (
	"strings"
	"sync"
	"testing"
)

func TestTodoWrite(t *testing.T) {
	env := newTestEnv(t)
	var seen [][]Todo
	env.Todos.OnChange(func(ts []Todo) { seen = append(seen, ts) })

	todos := []any{
		map[string]any{"content": "Write tests", "status": "completed", "activeForm": "Writing tests"},
		map[string]any{"content": "Run tests", "status": "in_progress", "activeForm": "Running tests"},
		map[string]any{"content": "Ship", "status": "pending", "id": "3"},
	}
	r := call(t, env, "TodoWrite", map[string]any{"todos": todos})
	text := mustOK(t, r)
	if !strings.Contains(text, "1 completed, 1 in progress, 1 pending") || r.Summary != "Todos: 1 completed, 1 in progress, 1 pending" {
		t.Fatalf("text %q summary %q", text, r.Summary)
	}
	items := env.Todos.Items()
	if len(items) != 3 || items[1].ActiveForm != "Running tests" || items[2].ID != "3" {
		t.Fatalf("items %+v", items)
	}
	if len(seen) != 1 || len(seen[0]) != 3 {
		t.Fatalf("callback saw %v", seen)
	}
	// Items is a copy.
	items[0].Content = "changed"
	if env.Todos.Items()[0].Content != "Write tests" {
		t.Fatal("Items returned the internal slice")
	}
	// Replacing with an empty list clears it.
	mustOK(t, call(t, env, "TodoWrite", map[string]any{"todos": []any{}}))
	if len(env.Todos.Items()) != 0 {
		t.Fatal("not cleared")
	}
	// Two in progress is allowed but flagged.
	text = mustOK(t, call(t, env, "TodoWrite", map[string]any{"todos": []any{
		map[string]any{"content": "a", "status": "in_progress"}, map[string]any{"content": "b", "status": "in_progress"}}}))
	if !strings.Contains(text, "more than one task is in_progress") {
		t.Fatalf("text %q", text)
	}

	bad := []struct {
		input any
		want  string
	}{
		{map[string]any{}, "todos is required"},
		{map[string]any{"todos": "do stuff"}, "todos must be an array"},
		{map[string]any{"todos": []any{map[string]any{"content": "x", "status": "done"}}}, `todos[0].status must be one of "pending", "in_progress", "completed"`},
		{map[string]any{"todos": []any{map[string]any{"status": "pending"}}}, "todos[0].content is required"},
		{map[string]any{"todos": []any{map[string]any{"content": " ", "status": "pending"}}}, "todos[0].content must not be empty"},
		{map[string]any{"todos": []any{map[string]any{"content": "a", "status": "pending", "id": "1"}, map[string]any{"content": "b", "status": "pending", "id": "1"}}}, "same id"},
	}
	for _, b := range bad {
		mustErr(t, call(t, env, "TodoWrite", b.input), b.want)
	}
	if len(env.Todos.Items()) != 2 {
		t.Fatal("a rejected call changed the list")
	}
}

func TestTodoListConcurrent(t *testing.T) {
	var l TodoList
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(2)
		go func() { defer wg.Done(); l.Set([]Todo{{Content: string(rune('a' + i)), Status: TodoPending}}) }()
		go func() { defer wg.Done(); _ = l.Items() }()
	}
	wg.Wait()
	if len(l.Items()) != 1 {
		t.Fatal("lost the list")
	}
}
