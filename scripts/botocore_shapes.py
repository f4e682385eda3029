"""Validates raw AWS responses against botocore's shapes (for botocore_check.py).

validate_response(operation_model, http_response) decodes the body as the
service's protocol puts it on the wire (rest-json, JSON 1.0, Query XML, RPC v2
CBOR) and walks it against the output shape, or the error shape for a status
of 300 or more, returning one line per problem: unknown members, wrong types,
values outside an enum, missing required members, lengths, ranges, patterns.
"""

import datetime
import json
import re
import xml.etree.ElementTree as ElementTree

import botocore.parsers
import botocore.session

NUMBER = (int, float)


def cloudwatch_protocols():
    """The CloudWatch protocols this botocore's model lists and it can parse:
    RPC v2 CBOR, JSON 1.0 and Query with botocore 1.4x; Query alone with 1.29."""
    metadata = botocore.session.get_session().get_service_model("cloudwatch").metadata
    listed = metadata.get("protocols", [metadata["protocol"]])
    supported = getattr(botocore.parsers, "PROTOCOL_PARSERS", {})
    return [p for p in ("smithy-rpc-v2-cbor", "json", "query") if p in supported and p in listed]


def force_protocol(session, service, protocol):
    """Makes session's clients of service speak protocol, by editing the model."""
    loader = session.get_component("data_loader")
    original = loader.load_service_model

    def load(name, type_name, api_version=None):
        model = original(name, type_name, api_version)
        if name == service and type_name == "service-2":
            model = dict(model, metadata=dict(model["metadata"], protocol=protocol, protocols=[protocol]))
        return model
    loader.load_service_model = load


def all_pages(client, method, key):
    items = []
    for page in client.get_paginator(method).paginate():
        items.extend(page.get(key, []))
    return items


def validate_response(model, http_response):
    protocol = model.service_model.metadata["protocol"]
    status = http_response.status_code
    body = http_response.content or b""
    try:
        if status >= 300:
            return validate_error(model, protocol, http_response, body)
        return validate_output(model, protocol, http_response, body)
    except ValueError as e:
        return ["the body cannot be decoded as %s: %s" % (protocol, e)]


def validate_output(model, protocol, http_response, body):
    shape = model.output_shape
    if shape is None:
        return ["a body where the model has no output"] if body.strip() else []
    if protocol == "rest-json":
        return validate_rest_json(shape, http_response, body)
    if protocol == "query":
        root = ElementTree.fromstring(body)
        result = child(root, shape.serialization.get("resultWrapper", model.name + "Result"))
        if result is None:
            return ["no %sResult element" % model.name]
        walker = Walker()
        walker.xml(result, shape, "")
        return walker.problems
    walker = Walker()
    walker.value(decode(protocol, body), shape, "")
    return walker.problems


def validate_rest_json(shape, http_response, body):
    walker = Walker()
    problems = []
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        if location == "header":
            value = http_response.headers.get(member.serialization["name"])
            if value is not None:
                walker.value(value, member, name)
        elif location == "statusCode":
            walker.value(http_response.status_code, member, name)
    if shape.serialization.get("payload"):
        return problems + walker.problems  # a blob payload: the function's answer, not modelled
    body_members = {n: m for n, m in shape.members.items() if not m.serialization.get("location")}
    data = json.loads(body) if body.strip() else {}
    walker.structure(data, shape, "", members=body_members)
    return problems + walker.problems


def validate_error(model, protocol, http_response, body):
    if protocol == "query":
        root = ElementTree.fromstring(body)
        code = root.findtext(".//{*}Code") or root.findtext(".//Code")
        message = root.findtext(".//{*}Message") or root.findtext(".//Message")
        return [] if code and message is not None else ["an error without Code and Message"]
    data = decode("json" if protocol == "rest-json" else protocol, body) if body.strip() else {}
    code = http_response.headers.get("x-amzn-ErrorType") or data.get("__type") or data.get("code") or ""
    code = code.split(":")[0].split("#")[-1]
    if "x-amzn-query-error" in http_response.headers:
        code = http_response.headers["x-amzn-query-error"].split(";")[0]
    shape = error_shape(model, code)
    if shape is None:  # not modelled for this operation (e.g. ValidationException): its message must be there
        has_message = any(k.lower() == "message" for k in data)
        return [] if has_message else ["error %s without a message" % code]
    walker = Walker(case_insensitive=True, ignore=("__type", "code"))
    walker.structure(data, shape, "", members={n: m for n, m in shape.members.items()
                                                  if not m.serialization.get("location")})
    return ["error %s: %s" % (code, p) for p in walker.problems]


def error_shape(model, code):
    for shape in model.error_shapes:
        names = {shape.name, shape.metadata.get("error", {}).get("code")}
        if code in names:
            return shape
    return None


def decode(protocol, body):
    if protocol == "smithy-rpc-v2-cbor":
        parser = botocore.parsers.RpcV2CBORParser()
        stream = parser.get_peekable_stream_from_bytes(body)
        return parser.parse_data_item(stream)
    return json.loads(body)


def child(elem, tag):
    for c in elem:
        if local(c.tag) == tag:
            return c
    return None


def local(tag):
    return tag.rsplit("}", 1)[-1]


class Walker:
    """Walks a decoded value against a shape, collecting problems."""

    def __init__(self, case_insensitive=False, ignore=()):
        self.problems = []
        self.case_insensitive = case_insensitive
        self.ignore = ignore

    def fail(self, path, message):
        self.problems.append("%s: %s" % (path or "(top)", message))

    def value(self, v, shape, path):
        kind = shape.type_name
        if kind == "structure":
            return self.structure(v, shape, path)
        if kind == "list":
            return self.list(v, shape, path)
        if kind == "map":
            return self.map(v, shape, path)
        return self.scalar(v, shape, path)

    def structure(self, v, shape, path, members=None):
        if not isinstance(v, dict):
            return self.fail(path, "a %s where the model has structure %s" % (type(v).__name__, shape.name))
        members = shape.members if members is None else members
        names = {m.serialization.get("name", n): n for n, m in members.items()}
        if self.case_insensitive:
            names = {k.lower(): n for k, n in names.items()}
        for key, item in v.items():
            lookup = key.lower() if self.case_insensitive else key
            if key in self.ignore:
                continue
            if lookup not in names:
                self.fail(join(path, key), "not a member of %s" % shape.name)
                continue
            if item is not None:
                self.value(item, members[names[lookup]], join(path, key))
        present = {names[k.lower() if self.case_insensitive else k] for k in v
                   if (k.lower() if self.case_insensitive else k) in names}
        for required in shape.required_members:
            if required in members and required not in present:
                self.fail(join(path, required), "required by %s but missing" % shape.name)

    def list(self, v, shape, path):
        if not isinstance(v, list):
            return self.fail(path, "a %s where the model has a list" % type(v).__name__)
        self.bounds(len(v), shape, path, "length")
        for i, item in enumerate(v):
            self.value(item, shape.member, "%s[%d]" % (path, i))

    def map(self, v, shape, path):
        if not isinstance(v, dict):
            return self.fail(path, "a %s where the model has a map" % type(v).__name__)
        for key, item in v.items():
            self.scalar(key, shape.key, join(path, "(key %s)" % key))
            self.value(item, shape.value, join(path, key))

    def scalar(self, v, shape, path):
        kind = shape.type_name
        ok = {
            "string": lambda: isinstance(v, str),
            "boolean": lambda: isinstance(v, bool),
            "integer": lambda: isinstance(v, int) and not isinstance(v, bool),
            "long": lambda: isinstance(v, int) and not isinstance(v, bool),
            "double": lambda: isinstance(v, NUMBER) and not isinstance(v, bool),
            "float": lambda: isinstance(v, NUMBER) and not isinstance(v, bool),
            "timestamp": lambda: isinstance(v, (NUMBER, datetime.datetime)) or (isinstance(v, str) and is_time(v)),
            "blob": lambda: isinstance(v, (bytes, str)),
        }.get(kind, lambda: True)
        if not ok():
            return self.fail(path, "%r is not a %s (%s)" % (v, kind, shape.name))
        if kind == "string":
            self.string(v, shape, path)
        elif kind in ("integer", "long"):
            self.bounds(v, shape, path, "value")

    def string(self, v, shape, path):
        if shape.enum and v not in shape.enum:
            self.fail(path, "%r is not in the enum %s" % (v, shape.name))
        self.bounds(len(v), shape, path, "length")
        pattern = shape.metadata.get("pattern")
        if pattern and not matches(pattern, v):
            self.fail(path, "%r does not match the pattern of %s: %s" % (v, shape.name, pattern))

    def bounds(self, n, shape, path, what):
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and n < low:
            self.fail(path, "%s %d is under the minimum %s of %s" % (what, n, low, shape.name))
        if high is not None and n > high:
            self.fail(path, "%s %d is over the maximum %s of %s" % (what, n, high, shape.name))

    def xml(self, elem, shape, path):
        """Walks a Query (XML) result against shape."""
        kind = shape.type_name
        if kind == "structure":
            members = {m.serialization.get("name", n): (n, m) for n, m in shape.members.items()}
            seen = set()
            for c in elem:
                tag = local(c.tag)
                if tag not in members:
                    self.fail(join(path, tag), "not a member of %s" % shape.name)
                    continue
                seen.add(members[tag][0])
                self.xml(c, members[tag][1], join(path, tag))
            for required in shape.required_members:
                if required not in seen:
                    self.fail(join(path, required), "required by %s but missing" % shape.name)
        elif kind == "list":
            items = [c for c in elem if local(c.tag) == shape.member.serialization.get("name", "member")]
            if len(items) != len(elem):
                self.fail(path, "a list with elements other than member")
            self.bounds(len(items), shape, path, "length")
            for i, c in enumerate(items):
                self.xml(c, shape.member, "%s[%d]" % (path, i))
        elif kind == "map":
            for entry in elem:
                key, value = child(entry, "key"), child(entry, "value")
                if local(entry.tag) != "entry" or key is None or value is None:
                    self.fail(path, "a map entry that is not <entry><key/><value/></entry>")
                    continue
                self.scalar(key.text or "", shape.key, join(path, "(key)"))
                self.xml(value, shape.value, join(path, key.text or ""))
        else:
            self.scalar(from_text(elem.text or "", shape), shape, path)


def from_text(text, shape):
    kind = shape.type_name
    try:
        if kind in ("integer", "long"):
            return int(text)
        if kind in ("double", "float"):
            return float(text)
        if kind == "boolean":
            return {"true": True, "false": False}[text]
    except (ValueError, KeyError):
        return text
    return text


ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$")


def is_time(text):
    return bool(ISO_TIME.match(text))


_patterns = {}


def matches(pattern, value):
    if pattern not in _patterns:
        try:
            _patterns[pattern] = re.compile(pattern)
        except re.error:
            _patterns[pattern] = None  # a Java-only construct: not checked
    compiled = _patterns[pattern]
    return compiled is None or compiled.fullmatch(value) is not None


def join(path, name):
    return name if not path else path + "." + name

