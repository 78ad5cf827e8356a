"""Register a fake service with the hub and find it again through the plain JSON paths.

This is how the platform's existing Python services talk to the hub (httpx, as in SEED.md):
POST /services/register, GET /services/{name}, GET /services/discover/{name}, GET /services/
with tenant headers and legacy_mode, PUT .../heartbeat and DELETE. The fake service answers
GET /health itself, so the hub's checks pass and discovery has a healthy instance to return.

Prints one JSON summary line; exits 0 when every step got the answer API.md promises, else 1.

    /usr/bin/python3 register_and_discover.py --hub-url http://127.0.0.1:7000
"""

import argparse
import asyncio
import json
import os
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

PRO_TENANT = {"x-company-id": "company_abc", "x-user-id": "user_123", "x-subscription-tier": "pro"}
FREE_TENANT = {"x-company-id": "company_xyz", "x-user-id": "user_456", "x-subscription-tier": "free"}


def start_fake_service(name):
    """A tiny HTTP server on 127.0.0.1 whose /health answers in the standard format."""
    started = time.time()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/health":
                self.send_error(404)
                return
            body = json.dumps({
                "service_name": name,
                "status": "healthy",
                "timestamp": datetime.now(timezone.utc).isoformat(),
                "version": "0.0.1",
                "uptime_seconds": round(time.time() - started, 2),
            }).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass  # keep stdout for the one JSON summary line

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def service_names(response):
    return sorted(s["name"] for s in response.json()["services"])


async def run(hub_url, name, timeout_seconds):
    fake = start_fake_service(name)
    port = fake.server_address[1]
    summary = {"hub_url": hub_url, "service": name, "fake_endpoint": f"http://127.0.0.1:{port}", "steps": {}}
    failures = []
    steps = summary["steps"]

    def expect(step, condition, message):
        if not condition:
            failures.append(f"{step}: {message}")

    instance_id = None
    deleted = False
    async with httpx.AsyncClient(base_url=hub_url, timeout=5.0) as client:
        try:
            # 1. Register, as SEED.md's register_with_central_hub() does, plus tier requirements.
            response = await client.post("/services/register", json={
                "name": name,
                "host": "127.0.0.1",
                "port": port,
                "protocol": "http",
                "health_endpoint": "/health",
                "version": "0.0.1",
                "tenant_capable": True,
                "subscription_requirements": ["pro", "enterprise"],
                "resource_tier": "premium",
            })
            body = response.json()
            instance_id = body.get("id")
            steps["register"] = {"status": response.status_code, "id": instance_id,
                                 "endpoint": body.get("endpoint"), "instance_status": body.get("status")}
            expect("register", response.status_code in (200, 201), f"status {response.status_code}")
            expect("register", body.get("endpoint") == summary["fake_endpoint"], f"endpoint {body.get('endpoint')}")
            if not instance_id:
                raise RuntimeError("register returned no id")

            # 2. Wait (bounded) until the hub's own check has found the fake healthy.
            deadline = time.monotonic() + timeout_seconds
            healthy = False
            while time.monotonic() < deadline:
                response = await client.get(f"/services/discover/{name}", headers=PRO_TENANT)
                if response.status_code == 200 and response.json().get("healthy_available"):
                    healthy = True
                    break
                await asyncio.sleep(0.2)
            steps["became_healthy"] = healthy
            expect("became_healthy", healthy, f"not healthy within {timeout_seconds}s")

            # 3. Look the service up by name, as SEED.md's discover_service() does.
            response = await client.get(f"/services/{name}")
            body = response.json()
            steps["get_service"] = {"status": response.status_code, "name": body.get("name"),
                                    "service_status": body.get("status"),
                                    "instance_count": body.get("instance_count"),
                                    "healthy_count": body.get("healthy_count"),
                                    "instance_ids": [i.get("id") for i in body.get("instances", [])]}
            expect("get_service", response.status_code == 200, f"status {response.status_code}")
            expect("get_service", instance_id in steps["get_service"]["instance_ids"], "instance missing")

            # 4. Discover it with tenant headers, as the trading-engine example in SEED.md does.
            response = await client.get(f"/services/discover/{name}", headers=PRO_TENANT)
            body = response.json()
            steps["discover"] = {"status": response.status_code,
                                 "service_name": body.get("service_name"),
                                 "recommended_endpoint": body.get("recommended_endpoint"),
                                 "all_healthy_endpoints": body.get("all_healthy_endpoints"),
                                 "connection_type": body.get("connection_type"),
                                 "healthy_available": body.get("healthy_available"),
                                 "confidence": body.get("confidence")}
            expect("discover", response.status_code == 200, f"status {response.status_code}")
            expect("discover", body.get("recommended_endpoint") == summary["fake_endpoint"],
                   f"recommended {body.get('recommended_endpoint')}")
            expect("discover", body.get("connection_type") == "direct_call", "connection_type")

            # 5. List services as tenants of each tier would, and in legacy mode.
            listing = {}
            response = await client.get("/services/", headers=FREE_TENANT)
            listing["free"] = {"status": response.status_code, "names": service_names(response)}
            response = await client.get("/services/", headers=PRO_TENANT)
            listing["pro"] = {"status": response.status_code, "names": service_names(response)}
            response = await client.get("/services/", headers=FREE_TENANT, params={"legacy_mode": "true"})
            listing["free_legacy_mode"] = {"status": response.status_code, "names": service_names(response)}
            response = await client.get("/services/")
            listing["no_tenant"] = {"status": response.status_code, "names": service_names(response)}
            steps["list"] = listing
            expect("list", name not in listing["free"]["names"], "free tier sees a pro service")
            expect("list", name in listing["pro"]["names"], "pro tier does not see it")
            expect("list", name in listing["free_legacy_mode"]["names"], "legacy_mode does not see it")
            expect("list", name in listing["no_tenant"]["names"], "a caller without tenant does not see it")

            # 6. Heartbeat with a load figure.
            response = await client.put(f"/services/{name}/instances/{instance_id}/heartbeat", json={"load": 0.3})
            steps["heartbeat"] = {"status": response.status_code,
                                  "lease_expires_at": response.json().get("lease_expires_at")}
            expect("heartbeat", response.status_code == 200, f"status {response.status_code}")
            expect("heartbeat", bool(steps["heartbeat"]["lease_expires_at"]), "no lease_expires_at")

            # 7. Deregister; the hub must then have forgotten the instance.
            response = await client.delete(f"/services/{name}/instances/{instance_id}")
            deleted = response.status_code == 204
            steps["delete"] = {"status": response.status_code}
            expect("delete", deleted, f"status {response.status_code}")
            response = await client.put(f"/services/{name}/instances/{instance_id}/heartbeat", json={})
            steps["heartbeat_after_delete"] = {"status": response.status_code}
            expect("heartbeat_after_delete", response.status_code == 404, f"status {response.status_code}")
        except Exception as error:  # report, don't crash: the summary is the script's output
            failures.append(f"error: {type(error).__name__}: {error}")
        finally:
            if instance_id and not deleted:
                try:
                    await client.delete(f"/services/{name}/instances/{instance_id}")
                except httpx.HTTPError:
                    pass
            fake.shutdown()

    summary["instance_id"] = instance_id
    summary["failures"] = failures
    summary["ok"] = not failures
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hub-url", default=os.environ.get("HUB_URL", "http://127.0.0.1:7000"))
    parser.add_argument("--name", default="py-fake-service")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for the fake to turn healthy")
    args = parser.parse_args()
    summary = asyncio.run(run(args.hub_url.rstrip("/"), args.name, args.timeout))
    print(json.dumps(summary))
    sys.exit(0 if summary["ok"] else 1)


if __name__ == "__main__":
    main()
