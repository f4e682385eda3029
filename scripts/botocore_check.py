#!/usr/bin/env python3
"""Checks a standalone lambdatune sandbox against botocore's service models.

Starts `lambdatune sandbox` on a free loopback port, drives every operation of
the lab (the Lambda calls the console and the walkthrough make, Invoke, the
tags, function URL and CloudFormation DescribeStacks reads that find a load
target, DeleteFunction, and CloudWatch's GetMetricData, GetMetricStatistics
and ListMetrics in every protocol this botocore speaks) with botocore's own clients, and validates each
raw response, successes and errors alike, against the operation's output or
error shape in botocore's models: unknown members, wrong types, values outside
an enum, missing required members, lengths, ranges and patterns. It also
checks that every answer says it comes from the sandbox (X-Lambdatune-Sandbox).

Usage:
  scripts/botocore_check.py [path/to/lambdatune]   # builds ./cmd/lambdatune when none is given

Exits 1 on any finding, printing each; works with the machine's botocore 1.4x
and with Debian's python3-botocore (1.29). Nothing leaves 127.0.0.1.
"""

import os
import re
import subprocess
import sys
import tempfile
import time

import botocore
import botocore.config
import botocore.exceptions
import botocore.session

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import botocore_shapes  # noqa: E402  (the validator, beside this script)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGION = "us-east-1"

# The botocore whose models the sandbox follows. An older botocore (Debian's
# python3-botocore 1.29) lacks newer members and enum values (LoggingConfig,
# python3.12, …): with it those are reported as newer than its model, not as
# findings, while types, required members, lengths and patterns still count.
REFERENCE_BOTOCORE = (1, 43)
NEWER_THAN_OLD_MODELS = ("is not in the enum", "not a member of")

# Where AWS itself answers outside its model, the sandbox answers as AWS does:
# these are reported as known, not as findings.
AWS_ANSWERS_SO = {
    "LastUpdateStatusReasonCode: 'Creating' is not in the enum LastUpdateStatusReasonCode":
        "AWS answers an update in progress with LastUpdateStatusReasonCode Creating (\"The function is being "
        "created.\"), a value its model does not list: see the outputs quoted in docs/sandbox-model.md",
}


def start_sandbox(binary, work):
    """Starts the sandbox and returns (process, AWS endpoint)."""
    if not binary:
        binary = os.path.join(work, "lambdatune")
        subprocess.run(["go", "build", "-o", binary, "./cmd/lambdatune"], cwd=ROOT, check=True)
    out = open(os.path.join(work, "sandbox.out"), "w+")
    proc = subprocess.Popen([binary, "sandbox", "--listen", "127.0.0.1:0", "--fast"], stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        out.seek(0)
        for line in out.read().splitlines():
            if line.startswith("AWS endpoint: "):
                return proc, line.split(": ", 1)[1].strip()
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    out.seek(0)
    sys.exit("botocore-check: the sandbox printed no endpoint:\n" + out.read())


class Checker:
    """Records every response botocore receives and validates it."""

    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.findings = []
        self.responses = 0
        self.failed = 0
        self.known = set()
        self.newer = set()
        version = tuple(int(x) for x in botocore.__version__.split(".")[:2])
        self.old_model = version < REFERENCE_BOTOCORE
        self.operations = set()

    def client(self, service, protocol=None):
        session = botocore.session.get_session()
        if protocol:
            botocore_shapes.force_protocol(session, service, protocol)
        client = session.create_client(
            service, region_name=REGION, endpoint_url=self.endpoint,
            aws_access_key_id="AKIDSANDBOX", aws_secret_access_key="sandbox-secret",
            config=botocore.config.Config(retries={"max_attempts": 1}))
        label = service + ("/" + protocol if protocol else "")
        client.meta.events.register("after-call", lambda **kw: self.after_call(label, **kw))
        return client

    def after_call(self, label, http_response, model, **_):
        self.responses += 1
        self.operations.add(label + " " + model.name)
        where = "%s %s (HTTP %d)" % (label, model.name, http_response.status_code)
        problems = []
        for p in botocore_shapes.validate_response(model, http_response):
            if p in AWS_ANSWERS_SO:
                self.known.add(p)
            elif self.old_model and any(kind in p for kind in NEWER_THAN_OLD_MODELS):
                self.newer.add(re.sub(r"\[\d+\]", "[]", p))
            else:
                problems.append(p)
        if http_response.headers.get("X-Lambdatune-Sandbox") != "1":
            problems.append("no X-Lambdatune-Sandbox: 1 header")
        self.failed += 1 if problems else 0
        self.findings.extend(where + ": " + p for p in problems)

    def expect_error(self, code, call, **params):
        try:
            call(**params)
        except botocore.exceptions.ClientError as e:
            got = e.response.get("Error", {}).get("Code")
            if got != code:
                self.fail("%s: error %s, want %s" % (call.__name__, got, code))
            return
        self.fail("%s succeeded, want %s" % (call.__name__, code))

    def fail(self, finding):
        self.findings.append(finding)
        self.failed += 1


def wait_for(what, probe, want, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if probe() == want:
            return
        time.sleep(0.2)
    sys.exit("botocore-check: %s never became %s" % (what, want))


def drive_lambda(check):
    lam = check.client("lambda")
    page = lam.list_functions(MaxItems=10)
    lam.list_functions(Marker=page["NextMarker"])
    names = [f["FunctionName"] for f in botocore_shapes.all_pages(lam, "list_functions", "Functions")]
    fn = next(n for n in names if n.startswith("product-api-ProductApiFunction-"))
    lam.list_functions(FunctionVersion="ALL", MaxItems=50)
    lam.get_account_settings()
    lam.get_function(FunctionName=fn)
    lam.get_function_configuration(FunctionName=fn)
    lam.update_function_configuration(FunctionName=fn, MemorySize=256, Description="botocore check")
    wait_for("LastUpdateStatus", lambda: lam.get_function_configuration(FunctionName=fn)["LastUpdateStatus"], "Successful")
    lam.put_function_concurrency(FunctionName=fn, ReservedConcurrentExecutions=20)
    lam.get_function_concurrency(FunctionName=fn)
    lam.get_function(FunctionName=fn)
    lam.delete_function_concurrency(FunctionName=fn)
    version = lam.publish_version(FunctionName=fn, Description="256 MB")["Version"]
    lam.list_versions_by_function(FunctionName=fn)
    lam.create_alias(FunctionName=fn, Name="live", FunctionVersion=version)
    lam.get_alias(FunctionName=fn, Name="live")
    lam.update_alias(FunctionName=fn, Name="live", Description="the lab's alias")
    lam.list_aliases(FunctionName=fn)
    lam.get_function(FunctionName=fn, Qualifier="live")
    lam.put_provisioned_concurrency_config(FunctionName=fn, Qualifier="live", ProvisionedConcurrentExecutions=2)
    wait_for("provisioned concurrency", lambda: lam.get_provisioned_concurrency_config(
        FunctionName=fn, Qualifier="live")["Status"], "READY")
    lam.list_provisioned_concurrency_configs(FunctionName=fn)
    event = b'{"resource":"/products","path":"/products","httpMethod":"GET","requestContext":{"stage":"Prod"}}'
    lam.invoke(FunctionName=fn, Qualifier="live", LogType="Tail", Payload=event)
    lam.invoke(FunctionName=fn, Payload=b"{}")  # a function error: X-Amz-Function-Error
    lam.invoke(FunctionName=fn, InvocationType="Event", Payload=event)
    lam.invoke(FunctionName=fn, InvocationType="DryRun")
    lam.delete_provisioned_concurrency_config(FunctionName=fn, Qualifier="live")
    drive_lambda_errors(check, lam, fn)
    lam.delete_alias(FunctionName=fn, Name="live")
    drive_targets(check, lam, fn)
    return fn


def drive_targets(check, lam, fn):
    """What a tool reads to find a function's load target, and DeleteFunction."""
    arn = lam.get_function(FunctionName=fn)["Configuration"]["FunctionArn"]
    stack = lam.list_tags(Resource=arn)["Tags"]["aws:cloudformation:stack-name"]
    lam.tag_resource(Resource=arn, Tags={"owner": "botocore-check"})
    lam.untag_resource(Resource=arn, TagKeys=["owner"])
    check.expect_error("InvalidParameterValueException", lam.tag_resource, Resource=arn, Tags={"aws:x": "1"})
    check.expect_error("InvalidParameterValueException", lam.list_tags, Resource=arn + ":1")
    check.expect_error("ResourceNotFoundException", lam.list_tags, Resource=arn.rsplit(":", 1)[0] + ":no-such-function")
    check.expect_error("ResourceNotFoundException", lam.get_function_url_config, FunctionName=fn)
    cfn = check.client("cloudformation")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in cfn.describe_stacks(StackName=stack)["Stacks"][0]["Outputs"]}
    if not outputs.get("ProductApiUrl", "").startswith("http://127.0.0.1:"):
        check.fail("describe_stacks: no ProductApiUrl output in %s" % outputs)
    cfn.describe_stacks()
    check.expect_error("ValidationError", cfn.describe_stacks, StackName="no-such-stack")
    other = next(f["FunctionName"] for f in lam.list_functions()["Functions"] if f["FunctionName"] != fn)
    version = lam.publish_version(FunctionName=other)["Version"]
    check.expect_error("InvalidParameterValueException", lam.delete_function, FunctionName=other, Qualifier="$LATEST")
    lam.delete_function(FunctionName=other, Qualifier=version)
    lam.delete_function(FunctionName=other)
    check.expect_error("ResourceNotFoundException", lam.delete_function, FunctionName=other)


def drive_lambda_errors(check, lam, fn):
    check.expect_error("ResourceNotFoundException", lam.get_function, FunctionName="no-such-function")
    check.expect_error("ValidationException", lam.update_function_configuration, FunctionName=fn, MemorySize=10241)
    check.expect_error("InvalidParameterValueException", lam.update_function_configuration, FunctionName=fn,
                       Environment={"Variables": {"AWS_REGION": "eu-west-1"}})
    check.expect_error("InvalidParameterValueException", lam.put_function_concurrency, FunctionName=fn,
                       ReservedConcurrentExecutions=1000)
    check.expect_error("ProvisionedConcurrencyConfigNotFoundException", lam.get_provisioned_concurrency_config,
                       FunctionName=fn, Qualifier="live")
    check.expect_error("ResourceConflictException", lam.create_alias, FunctionName=fn, Name="live", FunctionVersion="1")
    check.expect_error("InvalidRequestContentException", lam.invoke, FunctionName=fn, Payload=b"not json")
    lam.put_function_concurrency(FunctionName=fn, ReservedConcurrentExecutions=0)
    check.expect_error("TooManyRequestsException", lam.invoke, FunctionName=fn)
    lam.delete_function_concurrency(FunctionName=fn)


def drive_cloudwatch(check, fn, protocol):
    cw = check.client("cloudwatch", protocol)
    now = time.time()
    start, end = now - 3600, now + 120
    dims = [{"Name": "FunctionName", "Value": fn}]

    def stat(qid, metric, stat_name, period=60, namespace="AWS/Lambda", dimensions=dims):
        return {"Id": qid, "MetricStat": {"Metric": {"Namespace": namespace, "MetricName": metric, "Dimensions": dimensions},
                                          "Period": period, "Stat": stat_name}}
    cw.get_metric_data(StartTime=start, EndTime=end, MetricDataQueries=[
        stat("inv", "Invocations", "Sum"), stat("dur", "Duration", "p99", period=1),
        stat("cold", "init_duration", "SampleCount", namespace="LambdaInsights",
             dimensions=[{"Name": "function_name", "Value": fn}])])
    cw.get_metric_data(StartTime=start, EndTime=end, MaxDatapoints=1, ScanBy="TimestampAscending",
                       MetricDataQueries=[stat("inv", "Invocations", "Sum", period=1)])
    cw.get_metric_statistics(Namespace="AWS/Lambda", MetricName="Duration", Dimensions=dims, StartTime=start,
                             EndTime=end, Period=60, Statistics=["SampleCount", "Average", "Maximum"])
    cw.get_metric_statistics(Namespace="AWS/Lambda", MetricName="Duration", Dimensions=dims, StartTime=start,
                             EndTime=end, Period=60, ExtendedStatistics=["p99"])
    page = cw.list_metrics(Namespace="AWS/Lambda")
    if page.get("NextToken"):
        cw.list_metrics(Namespace="AWS/Lambda", NextToken=page["NextToken"])
    cw.list_metrics(Namespace="LambdaInsights", MetricName="init_duration")
    check.expect_error("InvalidParameterValue", cw.get_metric_statistics, Namespace="AWS/Lambda", MetricName="Duration",
                       StartTime=end, EndTime=start, Period=60, Statistics=["Sum"])
    check.expect_error("InvalidParameterValue", cw.list_metrics, NextToken="not-a-token")


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ""
    with tempfile.TemporaryDirectory() as work:
        proc, endpoint = start_sandbox(binary, work)
        try:
            check = Checker(endpoint)
            fn = drive_lambda(check)
            time.sleep(1.5)  # the sandbox publishes each second once it is over
            for protocol in botocore_shapes.cloudwatch_protocols():
                drive_cloudwatch(check, fn, protocol)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    for known in sorted(check.known):
        print("known (AWS answers so): " + known)
    for newer in sorted(check.newer):
        print("newer than botocore %s's model: %s" % (botocore.__version__, newer))
    for finding in check.findings:
        print("FINDING " + finding)
    print("botocore %s: %d operations, %d responses checked against the service models" % (
        botocore.__version__, len(check.operations), check.responses))
    print("botocore-check: %d passed, %d failed" % (check.responses - check.failed, check.failed))
    return 1 if check.findings else 0


if __name__ == "__main__":
    sys.exit(main())
