package metrics

// The sandbox's own metrics, beside AWS/Lambda: how the host machine treats
// the sandbox. They have no dimensions.
const (
	// SandboxNamespace is the namespace of the sandbox's own metrics.
	SandboxNamespace = "Lambdatune/Sandbox"
	// MetricSchedulingLag is how late the sandbox's timers fire, in
	// milliseconds: one sample per heartbeat tick and per modelled wait. A
	// busy host makes it grow, and with it every latency the sandbox models.
	MetricSchedulingLag = "SchedulingLag"
)

// SchedulingLagID is the metric SchedulingLag.
var SchedulingLagID = MetricID{Namespace: SandboxNamespace, MetricName: MetricSchedulingLag}
