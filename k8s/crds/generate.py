#!/usr/bin/env python3
"""Writes the cilium.io/v2 CNP and CCNP CRDs (structural OpenAPI v3 schema) beside this script.

The schema follows the policy model in policy-model (io.portcullis.policy.api): the same fields,
types and enums. Deeper rules (CIDR syntax, selector consistency, L7 regexes) stay with policy-api's
validation, which reports them with field paths as the `Valid` condition. Run after changing a field:
    python3 k8s/crds/generate.py
"""
import json, os

S = {"type": "string"}
def arr(items): return {"type": "array", "items": items}
def obj(props, required=None, **extra):
    o = {"type": "object", "properties": props}
    if required: o["required"] = required
    o.update(extra)
    return o
def smap(): return {"type": "object", "additionalProperties": S}

selector = obj({
    "matchLabels": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 63,
                    "pattern": "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$"}},
    "matchExpressions": arr(obj({
        "key": S,
        "operator": {"type": "string", "enum": ["In", "NotIn", "Exists", "DoesNotExist"]},
        "values": arr(S)}, ["key", "operator"])),
}, description="A label selector; {} selects everything.")
cidr = {"type": "string", "description": "An IPv4 or IPv6 CIDR (or address)."}
cidr_rule = obj({"cidr": cidr, "cidrGroupRef": {"type": "string", "maxLength": 253},
                 "cidrGroupSelector": selector, "except": arr(cidr)})
entities = arr({"type": "string", "enum": ["all", "world", "cluster", "host", "init", "ingress",
                "unmanaged", "remote-node", "health", "none", "kube-apiserver"]})
groups = obj({"aws": obj({"labels": smap(), "securityGroupsIds": arr(S),
                          "securityGroupsNames": arr(S), "region": S})})
service = obj({"k8sService": obj({"serviceName": S, "namespace": S}),
               "k8sServiceSelector": obj({"selector": selector, "namespace": S}, ["selector"])})
port_protocol = obj({
    "port": {"type": "string", "maxLength": 15,
             "pattern": "^((6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})|(([a-zA-Z0-9]-?)*[a-zA-Z](-?[a-zA-Z0-9])*))$"},
    "endPort": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 65535},
    "protocol": {"type": "string", "enum": ["TCP", "UDP", "SCTP", "ICMP", "ICMPv6", "VRRP", "IGMP", "ANY"]},
}, ["port"])
secret = obj({"namespace": S, "name": S}, ["name"])
tls = obj({"secret": secret, "trustedCA": S, "certificate": S, "privateKey": S}, ["secret"])
fqdn = obj({"matchName": {"type": "string", "maxLength": 255, "pattern": "^([-a-zA-Z0-9_]+[.]?)+$"},
            "matchPattern": {"type": "string", "maxLength": 255, "pattern": "^([-a-zA-Z0-9_*]+[.]?)+$"}})
dns_rule = obj({"matchName": fqdn["properties"]["matchName"], "matchPattern": fqdn["properties"]["matchPattern"]})
http = obj({"path": S, "method": S, "host": S, "headers": arr(S),
            "headerMatches": arr(obj({"name": S, "value": S, "secret": secret,
                                      "mismatch": {"type": "string", "enum": ["LOG", "ADD", "DELETE", "REPLACE"]}},
                                     ["name"]))})
kafka = obj({"role": {"type": "string", "enum": ["produce", "consume"]}, "apiKey": S, "apiVersion": S,
             "clientID": S, "topic": {"type": "string", "maxLength": 255}})
l7 = obj({"http": arr(http), "kafka": arr(kafka), "dns": arr(dns_rule), "l7proto": S,
          "l7": arr({"type": "object", "additionalProperties": S})})
listener = obj({"envoyConfig": obj({"kind": {"type": "string", "enum": ["CiliumEnvoyConfig", "CiliumClusterwideEnvoyConfig"]},
                                    "name": {"type": "string", "minLength": 1}}, ["name"]),
                "name": {"type": "string", "minLength": 1},
                "priority": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 100}},
               ["envoyConfig", "name"])
port_rule = obj({"ports": arr(port_protocol), "rules": l7, "terminatingTLS": tls, "originatingTLS": tls,
                 "serverNames": arr({"type": "string", "minLength": 1}), "listener": listener})
port_deny = obj({"ports": arr(port_protocol)})
icmp = obj({"fields": arr(obj({"family": {"type": "string", "enum": ["IPv4", "IPv6"]},
                               "type": {"x-kubernetes-int-or-string": True,
                                        "anyOf": [{"type": "integer"}, {"type": "string"}]}}, ["type"]))})
auth = obj({"mode": {"type": "string", "enum": ["disabled", "required", "test-always-fail"]}}, ["mode"])

def ingress(deny):
    p = {"fromEndpoints": arr(selector), "fromRequires": arr(selector), "fromCIDR": arr(cidr),
         "fromCIDRSet": arr(cidr_rule), "fromEntities": entities, "fromGroups": arr(groups),
         "fromNodes": arr(selector), "toPorts": arr(port_deny if deny else port_rule), "icmps": arr(icmp)}
    if not deny: p["authentication"] = auth
    return obj(p)
def egress(deny):
    p = {"toEndpoints": arr(selector), "toRequires": arr(selector), "toCIDR": arr(cidr),
         "toCIDRSet": arr(cidr_rule), "toEntities": entities, "toServices": arr(service),
         "toGroups": arr(groups), "toNodes": arr(selector), "toPorts": arr(port_deny if deny else port_rule),
         "icmps": arr(icmp)}
    if not deny:
        p["toFQDNs"] = arr(fqdn)
        p["authentication"] = auth
    return obj(p)

rule = obj({
    "endpointSelector": selector, "nodeSelector": selector,
    "ingress": arr(ingress(False)), "ingressDeny": arr(ingress(True)),
    "egress": arr(egress(False)), "egressDeny": arr(egress(True)),
    "labels": arr(obj({"key": S, "value": S, "source": S}, ["key"])),
    "enableDefaultDeny": obj({"ingress": {"type": "boolean"}, "egress": {"type": "boolean"}}),
    "description": S,
    "log": obj({"value": S}),
}, description="A Cilium rule: exactly one of endpointSelector / nodeSelector.")

condition = obj({"type": S, "status": {"type": "string", "enum": ["True", "False", "Unknown"]},
                 "reason": S, "message": S, "lastTransitionTime": {"type": "string", "format": "date-time"},
                 "observedGeneration": {"type": "integer", "format": "int64"}}, ["type", "status"])
status = obj({
    "conditions": arr(condition),
    "revision": {"type": "integer", "format": "int64", "description": "The policy-api revision stored for this object."},
    "errors": arr(obj({"field": S, "reason": S, "message": S})),
    "nodes": {"type": "object", "description": "Per node: the lowest revision realized among its endpoints.",
              "additionalProperties": obj({"revision": {"type": "integer", "format": "int64"},
                                           "endpoints": {"type": "integer", "format": "int32"},
                                           "ready": {"type": "boolean"}})},
}, description="Written by policy-api: the Valid condition with every validation error, and realization per node.")

def crd(kind, plural, singular, short, scope):
    schema = obj({"apiVersion": S, "kind": S, "metadata": {"type": "object"},
                  "spec": rule, "specs": arr(rule), "status": status}, ["metadata"])
    return {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{plural}.cilium.io", "labels": {"app.kubernetes.io/part-of": "portcullis"}},
        "spec": {
            "group": "cilium.io",
            "names": {"kind": kind, "listKind": kind + "List", "plural": plural, "singular": singular,
                      "shortNames": short, "categories": ["cilium", "ciliumpolicy"]},
            "scope": scope,
            "versions": [{"name": "v2", "served": True, "storage": True,
                          "subresources": {"status": {}},
                          "additionalPrinterColumns": [
                              {"name": "Valid", "type": "string", "jsonPath": ".status.conditions[?(@.type==\"Valid\")].status"},
                              {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}],
                          "schema": {"openAPIV3Schema": schema}}],
        },
    }

here = os.path.dirname(os.path.abspath(__file__))
for kind, plural, singular, short, scope in [
        ("CiliumNetworkPolicy", "ciliumnetworkpolicies", "ciliumnetworkpolicy", ["cnp", "ciliumnp"], "Namespaced"),
        ("CiliumClusterwideNetworkPolicy", "ciliumclusterwidenetworkpolicies", "ciliumclusterwidenetworkpolicy",
         ["ccnp"], "Cluster")]:
    with open(os.path.join(here, f"cilium.io_{plural}.yaml"), "w") as f:
        f.write("# Generated by k8s/crds/generate.py from the policy model; edit the script, not this file.\n")
        # JSON is YAML: no YAML library needed, and kubectl/kustomize read it as is.
        json.dump(crd(kind, plural, singular, short, scope), f, indent=1)
        f.write("\n")
