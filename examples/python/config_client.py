"""Read a tenant's dynamic config from the hub the way an existing Python service does.

GET /config/{tenant_id} with the tenant headers (SEED.md "Dynamic Configuration per Tenant"),
checked against the seed's shape: {"tenant_id", "subscription_tier", "config": {"rate_limits",
"features", "resource_limits"}, "version"}. Also reads a tenant without config (404), the same
tenant as another company (403) and the global document. It only reads: an admin writes the
tenant's config first, e.g.

    curl -X PUT localhost:7000/config/company_abc -H 'content-type: application/json' \
      -d '{"subscription_tier": "pro", "config": {}}'

Prints one JSON summary line; exits 0 when every answer is the one API.md promises, else 1.

    /usr/bin/python3 config_client.py --hub-url http://127.0.0.1:7000 --tenant company_abc --tier pro
"""

import argparse
import json
import os
import sys

import httpx

# The seed's shape of an effective config: section -> its keys (and the type of their values).
SEED_SHAPE = {
    "rate_limits": {"api_calls_per_hour": int, "websocket_connections": int},
    "features": {"basic_analytics": bool, "advanced_ai": bool, "custom_models": bool},
    "resource_limits": {"max_concurrent_requests": int, "max_data_storage_mb": int},
}


def shape_problems(body, tenant_id, tier):
    """What differs between an effective config and the seed's shape (empty when it matches)."""
    problems = []
    if not isinstance(body, dict):
        return ["body is not a JSON object"]
    if sorted(body) != ["config", "subscription_tier", "tenant_id", "version"]:
        problems.append(f"top-level keys {sorted(body)}")
    if body.get("tenant_id") != tenant_id:
        problems.append(f"tenant_id {body.get('tenant_id')!r}")
    if body.get("subscription_tier") != tier:
        problems.append(f"subscription_tier {body.get('subscription_tier')!r}")
    version = body.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append(f"version {version!r}")
    config = body.get("config")
    if not isinstance(config, dict) or sorted(config) != sorted(SEED_SHAPE):
        return problems + [f"config sections {sorted(config) if isinstance(config, dict) else config!r}"]
    for section, keys in SEED_SHAPE.items():
        values = config[section]
        if not isinstance(values, dict) or sorted(values) != sorted(keys):
            problems.append(f"config.{section} keys {sorted(values) if isinstance(values, dict) else values!r}")
            continue
        for key, kind in keys.items():
            value = values[key]
            # bool is a subclass of int: a limit must be a real number, a feature a real bool.
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                problems.append(f"config.{section}.{key} is {value!r}, not {kind.__name__}")
    return problems


def error_code(response):
    try:
        return response.json().get("error", {}).get("code")
    except ValueError:
        return None


def run(hub_url, tenant_id, tier):
    headers = {"x-company-id": tenant_id, "x-user-id": "user_123", "x-subscription-tier": tier}
    summary = {"hub_url": hub_url, "tenant_id": tenant_id, "steps": {}}
    steps = summary["steps"]
    failures = []

    def expect(step, condition, message):
        if not condition:
            failures.append(f"{step}: {message}")

    with httpx.Client(base_url=hub_url, timeout=5.0) as client:
        try:
            # 1. The tenant's effective config: its tier's defaults with its overrides.
            response = client.get(f"/config/{tenant_id}", headers=headers)
            body = response.json()
            steps["tenant_config"] = {"status": response.status_code, "body": body,
                                      "problems": shape_problems(body, tenant_id, tier)}
            expect("tenant_config", response.status_code == 200, f"status {response.status_code}")
            for problem in steps["tenant_config"]["problems"]:
                expect("tenant_config", False, problem)

            # 2. A tenant nobody wrote config for: 404 not_found, asked as that tenant.
            missing = f"{tenant_id}-without-config"
            response = client.get(f"/config/{missing}", headers={**headers, "x-company-id": missing})
            steps["missing_tenant"] = {"status": response.status_code, "code": error_code(response)}
            expect("missing_tenant", response.status_code == 404, f"status {response.status_code}")
            expect("missing_tenant", error_code(response) == "not_found", f"code {error_code(response)}")

            # 3. Another company may not read this tenant's config: 403 permission_denied.
            response = client.get(f"/config/{tenant_id}", headers={**headers, "x-company-id": "someone_else"})
            steps["other_company"] = {"status": response.status_code, "code": error_code(response)}
            expect("other_company", response.status_code == 403, f"status {response.status_code}")
            expect("other_company", error_code(response) == "permission_denied", f"code {error_code(response)}")

            # 4. The global document is public.
            response = client.get("/config/global")
            body = response.json()
            steps["global_config"] = {"status": response.status_code, "scope": body.get("scope"),
                                      "config": body.get("config"), "version": body.get("version")}
            expect("global_config", response.status_code == 200, f"status {response.status_code}")
            expect("global_config", body.get("scope") == "global", f"scope {body.get('scope')!r}")
            expect("global_config", isinstance(body.get("config"), dict), "config is not an object")
        except Exception as error:  # report, don't crash: the summary is the script's output
            failures.append(f"error: {type(error).__name__}: {error}")

    summary["failures"] = failures
    summary["ok"] = not failures
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hub-url", default=os.environ.get("HUB_URL", "http://127.0.0.1:7000"))
    parser.add_argument("--tenant", default="company_abc")
    parser.add_argument("--tier", default="pro", choices=["free", "pro", "enterprise"])
    args = parser.parse_args()
    summary = run(args.hub_url.rstrip("/"), args.tenant, args.tier)
    print(json.dumps(summary))
    sys.exit(0 if summary["ok"] else 1)


if __name__ == "__main__":
    main()
