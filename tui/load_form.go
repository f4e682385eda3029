package tui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/lambdatune/lambdatune/load"
	"github.com/lambdatune/lambdatune/tune"
)

// The load form's fields, in order.
const (
	fieldTarget = iota
	fieldScenario
	fieldUsers
	fieldSpawn
	fieldWait
	fieldRate
	fieldRunTime
)

func newLoadForm(target *tune.LoadTarget) form {
	targetText, hint := "", "finding the API in front of the function…"
	if target != nil {
		targetText, hint = target.String(), target.Source
	}
	return newForm(
		newField("target", targetText, hint, checkTarget),
		newField("scenario", "products", "products: the lab's CRUD mix on /products · get: GET the URL", checkScenario),
		newField("users", strconv.Itoa(tune.DefaultUsers), "closed model: users, each repeating a task; open model: most connections", checkUsers),
		newField("spawn rate", fmt.Sprint(tune.DefaultSpawnRate), "users started per second (closed model)", checkPositive("spawn rate")),
		newField("wait", tune.DefaultWait, `between a user's tasks: 0, 500ms, between(1s,3s), pacing(1s)`, checkWait),
		newField("rate", "0", "0: closed model (users, spawn, wait) · above 0: a fixed arrival rate, requests/s", checkRate),
		newField("run time", tune.DefaultRunTime.String(), "how long: 90s, 5m, 1h30m", checkRunTime),
	)
}

// withTarget fills in the target found, unless the user has typed one.
func (f form) withTarget(t tune.LoadTarget) form {
	fl := &f.fields[fieldTarget]
	if fl.input.Value() == "" {
		fl.input.SetValue(t.String())
		fl.input.CursorEnd()
	}
	fl.hint = t.Source
	fl.err = fl.check(fl.input.Value())
	return f
}

// settings reads the form; the first field's problem is the error.
func (f form) settings() (tune.LoadSettings, error) {
	if i, err := f.firstError(); err != nil {
		return tune.LoadSettings{}, fmt.Errorf("%s: %w", f.fields[i].label, err)
	}
	target, _ := tune.ParseLoadTarget(f.value(fieldTarget))
	ls := tune.DefaultLoadSettings(target)
	ls.Scenario = f.value(fieldScenario)
	ls.Users, _ = strconv.Atoi(f.value(fieldUsers))
	ls.SpawnRate, _ = strconv.ParseFloat(f.value(fieldSpawn), 64)
	ls.Wait = f.value(fieldWait)
	ls.Rate, _ = strconv.ParseFloat(f.value(fieldRate), 64)
	ls.RunTime, _ = tune.ParseRunTime(f.value(fieldRunTime))
	return ls, ls.Validate()
}

func checkTarget(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("give a URL (http://…) or invoke:FUNCTION[:QUALIFIER]")
	}
	_, err := tune.ParseLoadTarget(s)
	return err
}

func checkScenario(s string) error {
	if v := strings.TrimSpace(s); v != "products" && v != "get" {
		return errors.New("products or get")
	}
	return nil
}

func checkUsers(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > load.MaxUsers {
		return fmt.Errorf("a whole number from 1 to %d", load.MaxUsers)
	}
	return nil
}

func checkPositive(what string) func(string) error {
	return func(s string) error {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || v <= 0 || v > 1e6 {
			return fmt.Errorf("%s must be a positive number", what)
		}
		return nil
	}
}

func checkWait(s string) error {
	_, err := load.ParseWaitTime(s)
	return err
}

func checkRate(s string) error {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || v < 0 || v > load.MaxRate {
		return fmt.Errorf("0 for the closed model, or requests per second up to %g", load.MaxRate)
	}
	return nil
}

func checkRunTime(s string) error {
	d, err := tune.ParseRunTime(s)
	if err != nil {
		return err
	}
	if d <= 0 || d > load.MaxRunTime {
		return fmt.Errorf("between 1s and %v", load.MaxRunTime)
	}
	return nil
}
