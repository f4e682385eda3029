"""GET by id with Locust's FastHttpUser (geventhttpclient), no wait: the
bench's closed-model comparison (bench/compare.sh)."""
import os

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

PATH = os.environ.get("BENCH_PATH", "/products/42")


class GetById(FastHttpUser):
    wait_time = constant(float(os.environ.get("BENCH_WAIT", "0")))

    @task
    def get_by_id(self):
        self.client.get(PATH, name="/products/[id]")
