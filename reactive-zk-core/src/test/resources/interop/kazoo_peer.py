"""A Kazoo client that plays an ASAB service for KazooInteropIT.

It reads one JSON command per line on stdin and answers one JSON line on stdout. Data it writes is encoded the way
asab.zookeeper encodes it: a dict with json.dumps(...).encode("utf-8") (Python's default separators), a str as UTF-8.
"""

import base64
import json
import sys
import threading

from kazoo.client import KazooClient
from kazoo.exceptions import NoNodeError, NodeExistsError


def encode(value):
    if isinstance(value, str):
        return value.encode("utf-8")
    return json.dumps(value).encode("utf-8")


class Peer:
    def __init__(self, hosts):
        self.zk = KazooClient(hosts=hosts, timeout=10.0)
        self.zk.start(timeout=30)
        self.seen = {}
        self.lock = threading.Lock()
        self.elections = {}

    def advertise(self, cmd):
        node = self.zk.create(cmd["path"], encode(cmd["data"]), ephemeral=True, sequence=True, makepath=True)
        return {"node": node}

    def create(self, cmd):
        return {"node": self.zk.create(cmd["path"], encode(cmd["data"]), makepath=True)}

    def set(self, cmd):
        stat = self.zk.set(cmd["path"], encode(cmd["data"]))
        return {"version": stat.version}

    def get(self, cmd):
        if not self.zk.exists(cmd["path"]):
            return {"absent": True}
        data, stat = self.zk.get(cmd["path"])
        return {
            "base64": base64.b64encode(data).decode("ascii"),
            "owner": stat.ephemeralOwner,
            "version": stat.version,
        }

    def children(self, cmd):
        self.zk.sync(cmd["path"])
        return {"children": sorted(self.zk.get_children(cmd["path"]))}

    def watch(self, cmd):
        path = cmd["path"]
        with self.lock:
            self.seen[path] = []

        def record(data, stat):
            with self.lock:
                self.seen[path].append(None if data is None else data.decode("utf-8"))

        self.zk.DataWatch(path, record)
        return {}

    def watched(self, cmd):
        with self.lock:
            return {"values": list(self.seen.get(cmd["path"], []))}

    def elect(self, cmd):
        """Takes part in an election the way ASAB's LeaderService does: whoever creates the one ephemeral node
        <root>/election/<scope> leads, holding the node's czxid as its claim; the others follow and try again when the
        node goes."""
        path = cmd["path"]
        state = {"claim": None, "data": cmd["data"].encode("utf-8"), "participating": True}
        with self.lock:
            self.elections[path] = state
        self.zk.ensure_path(path.rsplit("/", 1)[0])

        def attempt():
            try:
                _, stat = self.zk.create(path, state["data"], ephemeral=True, include_data=True)
                claim = stat.czxid
            except NodeExistsError:
                try:
                    _, stat = self.zk.get(path)
                except NoNodeError:
                    return attempt()
                claim = stat.czxid if stat.ephemeralOwner == self.zk.client_id[0] else None
            with self.lock:
                state["claim"] = claim

        def changed(data, stat):
            if not state["participating"]:
                return False
            if stat is None:
                attempt()
            elif stat.czxid != state["claim"]:
                with self.lock:
                    state["claim"] = None

        self.zk.DataWatch(path, changed)
        return {}

    def elected(self, cmd):
        with self.lock:
            return {"leader": self.elections[cmd["path"]]["claim"] is not None}

    def step_down(self, cmd):
        state = self.elections[cmd["path"]]
        state["participating"] = False
        if state["claim"] is not None:
            self.zk.delete(cmd["path"])
            with self.lock:
                state["claim"] = None
        return {}

    def session(self, cmd):
        return {"session": self.zk.client_id[0]}

    def stop(self, cmd):
        self.zk.stop()
        self.zk.close()
        return {}


def main():
    peer = Peer(sys.argv[1])
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        try:
            reply = getattr(peer, cmd["op"])(cmd)
        except Exception as error:  # the Java side reports it
            reply = {"error": "%s: %s" % (type(error).__name__, error)}
        print(json.dumps(reply), flush=True)
        if cmd["op"] == "stop":
            break


if __name__ == "__main__":
    main()
