"""GET by id with Locust's HttpUser (python-requests), no wait: the bench's
closed-model comparison (bench/compare.sh)."""
import os

from locust import HttpUser, constant, task

PATH = os.environ.get("BENCH_PATH", "/products/42")


class GetById(HttpUser):
    wait_time = constant(float(os.environ.get("BENCH_WAIT", "0")))

    @task
    def get_by_id(self):
        self.client.get(PATH, name="/products/[id]")
