package load

// runClosed is Locust's model: users start on the spawn schedule, and each
// repeats pick-a-task, run it, wait, until the run stops. When SetUsers adds
// users, they start on the same spawn rate from that moment.
func (r *Run) runClosed() {
	id, first := 0, true
	for {
		if missing := int(r.adj.targetUsers.Load()) - int(r.users.Load()); missing > 0 {
			began := r.cfg.Clock.Now()
			if first {
				began = r.begin
			}
			SpawnSchedule{Users: missing, Rate: r.cfg.SpawnRate}.spawn(r.halt, r.cfg.Clock, began, func(int) {
				r.startUser(id)
				id++
			})
		}
		first = false
		select {
		case <-r.adj.more:
		case <-r.halt.Done():
			return
		}
	}
}

func (r *Run) startUser(id int) {
	u, err := r.newUser(id)
	if err != nil {
		return
	}
	r.workers.Add(1)
	go func() {
		defer r.workers.Done()
		r.loopUser(u)
	}()
}

// loopUser runs one user until the run stops. After requests that could not
// connect the user waits at least its connect backoff, so a dead target is
// not hammered; the open model needs no backoff, its rate bounds the attempts.
func (r *Run) loopUser(u *User) {
	clk := r.cfg.Clock
	for !r.stopping() && !r.retire(u) {
		started := clk.Now()
		u.runTask(r.ctx, r.picker)
		wait := r.cfg.Wait.Wait(u.rng, clk.Now().Sub(started))
		wait = max(wait, connectBackoff(u.connectFailures, u.rng))
		if wait > 0 && clk.Sleep(r.halt, wait) != nil {
			return
		}
	}
}
