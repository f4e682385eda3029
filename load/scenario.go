package load

import (
	"context"
	"math/rand/v2"
)

// Scenario is what users do: weighted tasks over a fixed set of endpoints.
type Scenario interface {
	Name() string
	// Endpoints lists every endpoint the tasks' requests count under; a
	// Request's Endpoint indexes this list.
	Endpoints() []Endpoint
	// Tasks are picked at random in proportion to their weights.
	Tasks() []Task
}

// Task is one thing a user does, usually one request.
type Task struct {
	Name   string
	Weight int
	Run    func(ctx context.Context, u *User)
}

// taskPicker draws tasks by weight.
type taskPicker struct {
	tasks      []Task
	cumulative []int
}

func newTaskPicker(tasks []Task) taskPicker {
	p := taskPicker{tasks: tasks, cumulative: make([]int, len(tasks))}
	total := 0
	for i, t := range tasks {
		total += max(t.Weight, 0)
		p.cumulative[i] = total
	}
	return p
}

func (p taskPicker) pick(rng *rand.Rand) *Task {
	total := p.cumulative[len(p.cumulative)-1]
	if total <= 0 {
		return &p.tasks[rng.IntN(len(p.tasks))]
	}
	n := rng.IntN(total)
	for i, c := range p.cumulative {
		if n < c {
			return &p.tasks[i]
		}
	}
	return &p.tasks[len(p.tasks)-1]
}
