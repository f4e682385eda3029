package load

// runClosed is Locust's model: users start on the spawn schedule, and each
// repeats pick-a-task, run it, wait, until the run stops.
func (r *Run) runClosed() {
	schedule := SpawnSchedule{Users: r.cfg.Users, Rate: r.cfg.SpawnRate}
	schedule.spawn(r.halt, r.cfg.Clock, r.begin, func(id int) {
		u, err := r.newUser(id)
		if err != nil {
			return
		}
		r.workers.Add(1)
		go func() {
			defer r.workers.Done()
			r.loopUser(u)
		}()
	})
}

// loopUser runs one user until the run stops. After requests that could not
// connect the user waits at least its connect backoff, so a dead target is
// not hammered; the open model needs no backoff, its rate bounds the attempts.
func (r *Run) loopUser(u *User) {
	clk := r.cfg.Clock
	for !r.stopping() {
		started := clk.Now()
		u.runTask(r.ctx, r.picker)
		wait := r.cfg.Wait.Wait(u.rng, clk.Now().Sub(started))
		wait = max(wait, connectBackoff(u.connectFailures, u.rng))
		if wait > 0 && clk.Sleep(r.halt, wait) != nil {
			return
		}
	}
}
