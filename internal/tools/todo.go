package tools

import (
	"context"
	"fmt"
	"strings"
	"sync"
)

// Todo statuses.
const (
	TodoPending    = "pending"
	TodoInProgress = "in_progress"
	TodoCompleted  = "completed"
)

// Todo is one item of the session's todo list.
type Todo struct {
	Content    string `json:"content" description:"The task, in imperative form, e.g. \"Run tests\""`
	Status     string `json:"status" description:"The task's state" enum:"pending,in_progress,completed"`
	ActiveForm string `json:"activeForm,omitempty" description:"The task in present continuous form, shown while it is in progress, e.g. \"Running tests\""`
	ID         string `json:"id,omitempty" description:"An optional identifier for the task"`
}

// TodoList is the session's todo list. TodoWrite replaces it; the UI reads it. It is safe for
// concurrent use.
type TodoList struct {
	mu       sync.Mutex
	items    []Todo
	onChange func([]Todo)
}

// Items returns a copy of the list.
func (l *TodoList) Items() []Todo {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Todo(nil), l.items...)
}

// Set replaces the list and calls the change callback with a copy.
func (l *TodoList) Set(items []Todo) {
	l.mu.Lock()
	l.items = append([]Todo(nil), items...)
	cb := l.onChange
	l.mu.Unlock()
	if cb != nil {
		cb(append([]Todo(nil), items...))
	}
}

// OnChange registers f to be called, synchronously and outside the lock, after each change.
func (l *TodoList) OnChange(f func([]Todo)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.onChange = f
}

type todoWriteInput struct {
	Todos []Todo `json:"todos" description:"The updated todo list"`
}

const todoWriteDescription = `Creates and updates a structured task list for the current session. It helps you track progress and organise complex work, and shows the user what you are doing.

When to use it:
- Complex tasks with three or more distinct steps, or that need careful planning.
- When the user asks for a todo list, or gives several tasks at once (numbered or comma-separated).
- After receiving new instructions: capture the requirements as todos.
- When starting a task: mark it in_progress before beginning. Keep exactly one task in_progress at a time.
- After finishing a task: mark it completed at once (do not batch completions), and add any follow-up tasks you discovered.

When not to use it: a single straightforward task, a trivial task, or a purely conversational or informational request.

Each call replaces the whole list, so send every task, not only the changed ones. Each task has:
- content: what needs doing, in imperative form ("Run tests").
- status: pending, in_progress or completed.
- activeForm: the same in present continuous form ("Running tests"), shown while it is in progress.

Only mark a task completed when it is fully done: if tests fail, the implementation is partial, or you hit an unresolved error, keep it in_progress and add a task for what blocks it. Remove tasks that are no longer relevant.`

// TodoWriteTool returns the TodoWrite tool. It counts as read-only: it changes no file and
// runs nothing, only the session's own list, so it may run in plan mode and alongside reads.
func TodoWriteTool() Tool {
	return New("TodoWrite", todoWriteDescription, true, todoTarget, runTodoWrite)
}

func todoTarget(in todoWriteInput, env *Env) (Target, error) {
	if err := validateTodos(in.Todos); err != nil {
		return Target{}, err
	}
	return Target{Kind: TargetNone, Summary: fmt.Sprintf("Update todos (%d)", len(in.Todos))}, nil
}

func validateTodos(todos []Todo) error {
	ids := map[string]int{}
	for i, t := range todos {
		if strings.TrimSpace(t.Content) == "" {
			return fmt.Errorf("TodoWrite: todos[%d].content must not be empty", i)
		}
		if t.ID != "" {
			if j, dup := ids[t.ID]; dup {
				return fmt.Errorf("TodoWrite: todos[%d] and todos[%d] have the same id %q; ids must be unique", j, i, t.ID)
			}
			ids[t.ID] = i
		}
	}
	return nil
}

func runTodoWrite(ctx context.Context, env *Env, in todoWriteInput) Result {
	if err := validateTodos(in.Todos); err != nil {
		return errorResult(err.Error())
	}
	if env.Todos == nil {
		return errorResult("TodoWrite is not available in this session.")
	}
	env.Todos.Set(in.Todos)
	var pending, active, done int
	for _, t := range in.Todos {
		switch t.Status {
		case TodoPending:
			pending++
		case TodoInProgress:
			active++
		case TodoCompleted:
			done++
		}
	}
	summary := fmt.Sprintf("Todos: %d completed, %d in progress, %d pending", done, active, pending)
	var b strings.Builder
	b.WriteString("The todo list has been updated. Keep using it to track your progress, and go on with the current task.\n")
	b.WriteString(summary + ".")
	if active > 1 {
		b.WriteString("\nNote: more than one task is in_progress; keep exactly one in progress at a time.")
	}
	return textResult(b.String(), summary)
}
