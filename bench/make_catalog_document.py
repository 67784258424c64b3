#!/usr/bin/env python3
"""Writes a large catalog document for the catalog benchmark: N offerings, each with its own
product specification, and 2N service and resource specifications (3N specifications in all).
Every offering is Launched and refers to its product specification, which refers to one service
specification, which refers to one resource specification.

usage: make_catalog_document.py OFFERINGS OUT.json
"""
import json
import sys


def main() -> None:
    n = int(sys.argv[1])
    out = sys.argv[2]
    valid = {"startDateTime": "2024-01-01T00:00:00Z"}
    states = ["Launched", "Active", "Retired", "In design"]
    doc = {"resourceSpecification": [], "serviceSpecification": [], "productSpecification": [], "productOffering": []}
    for i in range(n):
        state = states[i % len(states)]
        doc["resourceSpecification"].append({"id": f"rs-{i}", "name": f"Resource spec {i}", "lifecycleStatus": state,
                                             "validFor": valid, "category": "bench"})
        doc["serviceSpecification"].append({"id": f"ss-{i}", "name": f"Service spec {i}", "lifecycleStatus": state,
                                            "validFor": valid,
                                            "resourceSpecification": [{"id": f"rs-{i}", "name": f"Resource spec {i}"}]})
        doc["productSpecification"].append({"id": f"ps-{i}", "name": f"Product spec {i}", "lifecycleStatus": state,
                                            "validFor": valid,
                                            "serviceSpecification": [{"id": f"ss-{i}", "name": f"Service spec {i}"}]})
        doc["productOffering"].append({"id": f"po-{i}", "name": f"Offering {i % 1000}", "lifecycleStatus": state,
                                       "validFor": valid, "isBundle": False,
                                       "productSpecification": {"id": f"ps-{i}", "name": f"Product spec {i}"}})
    with open(out, "w") as f:
        json.dump(doc, f)


if __name__ == "__main__":
    main()
