"""nashub's PyTorch training backend: one process per training session, driven by the TypeScript trainer.

Protocol: one JSON request per line on stdin ({"id": n, "cmd": name, ...}); one answer per request, written as a line
"@nashub {json}" preceded by a newline, on a private copy of the original stdout. File descriptor 1 is pointed at
stderr before anything else runs, so whatever torch, a library or a stray print writes to stdout goes to stderr and
never into the protocol; the TypeScript side also ignores every line without the marker. Tensors travel as files
(raw little-endian bytes) named in the requests. The TypeScript side owns every random draw (split, batch order,
augmentation, initial weights); this side only computes. Depends on torch alone.

Overlap: `train_epoch` runs on a worker thread while the main thread serves the next requests, so an epoch's
evaluation can run on the other core during the next epoch's training. `snapshot` copies the trained network (weights,
batch-norm statistics, momentum slots) into a second network of the same layers; `evaluate` and `save` with
`"snapshot": true` read that copy and never the network in training. Every other request waits for the training in
flight first. Each thread computes on torch's fixed thread count and the copy is exact, so the curve is the one the
sequential order gives.
"""

import json
import os
import sys
import threading
import time
import traceback

MARKER = "@nashub "


def open_protocol():
    """The protocol's output stream; fd 1 and sys.stdout go to stderr from here on."""
    fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(fd, "w", buffering=1, encoding="utf-8")


PROTOCOL = open_protocol()
PROTOCOL_LOCK = threading.Lock()  # answers come from the main thread and the training thread

import torch  # noqa: E402 (after the redirect: importing torch may print)
import torch.nn.functional as F  # noqa: E402
# Beside this file: Python puts the script's folder first on sys.path.
from torch_networks import NETWORKS, Failure, Layers  # noqa: E402


def read_floats(path, count, device):
    data = bytearray(open(path, "rb").read())
    if len(data) != 4 * count:
        raise Failure("%s holds %d bytes, expected %d floats" % (path, len(data), count))
    return torch.frombuffer(data, dtype=torch.float32).to(device)


def read_bytes(path, count, dtype, device):
    data = bytearray(open(path, "rb").read())
    size = torch.tensor([], dtype=dtype).element_size()
    if len(data) != size * count:
        raise Failure("%s holds %d bytes, expected %d of %s" % (path, len(data), count, dtype))
    return torch.frombuffer(data, dtype=dtype).to(device)


class Session:
    def __init__(self):
        self.device = None
        self.dataset = None
        self.model = None
        self.shadow = None
        self.indices = {}
        self.threads = 1
        self.training = None  # the worker thread of the train_epoch in flight

    def wait_training(self):
        """Joins the train_epoch in flight, if any: a request on the network in training runs after it."""
        if self.training is not None:
            self.training.join()
            self.training = None

    def hello(self, request):
        self.wait_training()
        threads = int(request["threads"])
        self.threads = threads
        torch.set_num_threads(threads)
        try:
            torch.set_num_interop_threads(1)
        except RuntimeError:
            pass  # only settable before the first parallel work; a second hello keeps the first setting
        wants = request.get("device", "auto")
        if wants == "cuda" and not torch.cuda.is_available():
            raise Failure("CUDA was asked for, but torch.cuda.is_available() is False")
        self.device = torch.device("cuda" if wants != "cpu" and torch.cuda.is_available() else "cpu")
        # Deterministic per seed: fixed threads, deterministic kernels (warn_only: CUDA lacks a few, say so, go on).
        torch.use_deterministic_algorithms(True, warn_only=True)
        torch.backends.cudnn.benchmark = False
        if self.device.type == "cuda":
            name = torch.cuda.get_device_name(0)
        else:
            threads = torch.get_num_threads()
            name = "cpu (%d thread%s)" % (threads, "" if threads == 1 else "s")
        return {"torch": torch.__version__, "device": self.device.type, "deviceName": name, "pid": os.getpid()}

    def dataset_(self, request):
        self.wait_training()
        d = self.device
        height, width, channels = request["height"], request["width"], request["channels"]
        image = height * width * channels
        sets = {}
        for name in ("train", "test"):
            part = request[name]
            count = part["count"]
            images = read_bytes(part["images"], count * image, torch.uint8, d).view(count, height, width, channels)
            labels = read_bytes(part["labels"], count, torch.uint8, d).long()
            sets[name] = (images, labels)
        mean = torch.tensor(request["mean"], dtype=torch.float32, device=d)
        std = torch.tensor(request["std"], dtype=torch.float32, device=d)
        # As assembleBatch: pixel · 1/(255·std) − mean/std, padding pixels being 0 (black).
        self.dataset = {"sets": sets, "scale": 1.0 / (255.0 * std), "shift": -mean / std, "shape": (height, width)}
        self.indices = {}
        return {}

    def build(self, request):
        self.wait_training()
        if self.device is None:
            raise Failure("hello first")
        spec = request["network"]
        if spec["space"] not in NETWORKS:
            raise Failure("the PyTorch backend builds %s networks, not %s" % (", ".join(NETWORKS), spec["space"]))
        model, layers = self.network(request["layers"], spec)
        shadow, shadow_layers = self.network(request["layers"], spec)
        self.params, self.buffers = layers.state()
        weights = request["weights"]
        self.assign(weights["path"], weights["tensors"], tf_layout=True)
        self.model = model.to(self.device)
        self.params, self.buffers = layers.state()
        opt = request["optimizer"]
        self.optimizer = torch.optim.SGD(
            list(self.params.values()),
            lr=0.0,
            momentum=opt["momentum"],
            nesterov=opt["nesterov"],
            weight_decay=opt["weightDecay"],
        )
        self.names = {id(p): n for n, p in self.params.items()}
        shadow = shadow.to(self.device).eval()
        params, buffers = shadow_layers.state()
        momentum = {name: torch.zeros_like(p) for name, p in params.items()}
        self.shadow = {"model": shadow, "params": params, "buffers": buffers, "momentum": momentum}
        self.snapshot({})
        return {"parameterCount": sum(p.numel() for p in self.params.values())}

    @staticmethod
    def network(layer_list, spec):
        layers = Layers(layer_list)
        model = NETWORKS[spec["space"]](layers, spec)
        model.layers = layers.modules
        layers.check_all_used()
        return model, layers

    def snapshot(self, request):
        """Copies the network's weights, statistics and momentum slots into the shadow network, exactly."""
        self.wait_training()
        if self.model is None:
            raise Failure("build first")
        shadow = self.shadow
        with torch.no_grad():
            for name, param in self.params.items():
                shadow["params"][name].copy_(param)
                buffer = self.optimizer.state.get(param, {}).get("momentum_buffer")
                if buffer is None:
                    shadow["momentum"][name].zero_()
                else:
                    shadow["momentum"][name].copy_(buffer)
            for name, buffer in self.buffers.items():
                shadow["buffers"][name].copy_(buffer)
        return {}

    def assign(self, path, tensors, tf_layout):
        """Loads named float32 tensors from a file into parameters, buffers and (`momentum:` names) momentum slots."""
        total = sum(prod(t["shape"]) for t in tensors)
        flat = read_floats(path, total, "cpu")
        offset = 0
        with torch.no_grad():
            for entry in tensors:
                name, shape = entry["name"], entry["shape"]
                values = flat[offset : offset + prod(shape)].view(*shape)
                offset += prod(shape)
                if tf_layout and len(shape) == 4:
                    values = values.permute(3, 2, 0, 1)  # [k, k, in, out] → [out, in, k, k]
                elif tf_layout and len(shape) == 2:
                    values = values.t()  # [in, out] → [out, in]
                if name.startswith("momentum:"):
                    param = self.params.get(name[len("momentum:") :])
                    if param is None or tuple(param.shape) != tuple(values.shape):
                        raise Failure("momentum slot %s fits no parameter" % name)
                    self.optimizer.state[param]["momentum_buffer"] = values.to(param.device).clone()
                    continue
                target = self.params.get(name, self.buffers.get(name))
                if target is None:
                    raise Failure("tensor %s is not one of the network's" % name)
                if tuple(target.shape) != tuple(values.shape):
                    shapes = (name, list(values.shape), list(target.shape))
                    raise Failure("tensor %s has shape %s, the network's %s" % shapes)
                target.copy_(values)

    def batch(self, set_name, index, plan=None):
        """NCHW floats of the images at `index`; with `plan` (dy, dx, flip per image), cropped and flipped first."""
        images, labels = self.dataset["sets"][set_name]
        height, width = self.dataset["shape"]
        if plan is None:
            pixels = images[index].float()
        else:
            dy, dx, flip = plan
            d = self.device
            ys = torch.arange(height, device=d)
            xs = torch.arange(width, device=d)
            rows = ys[None, :] + dy[:, None]
            cols = torch.where(flip[:, None], width - 1 - xs[None, :], xs[None, :]) + dx[:, None]
            inside = ((rows >= 0) & (rows < height))[:, :, None] & ((cols >= 0) & (cols < width))[:, None, :]
            pixels = images[
                index[:, None, None], rows.clamp(0, height - 1)[:, :, None], cols.clamp(0, width - 1)[:, None, :]
            ].float()
            pixels = pixels * inside[..., None]
        x = pixels * self.dataset["scale"] + self.dataset["shift"]
        return x.permute(0, 3, 1, 2).contiguous(), labels[index]

    def train_epoch(self, request):
        torch.set_num_threads(self.threads)  # OpenMP's thread count is per thread: this one's too
        count, batch, steps = request["count"], request["batchSize"], request["steps"]
        d = self.device
        order = read_bytes(request["order"], count, torch.int32, d).long()
        dy = read_bytes(request["dy"], count, torch.int16, d).long()
        dx = read_bytes(request["dx"], count, torch.int16, d).long()
        flip = read_bytes(request["flip"], count, torch.uint8, d).bool()
        for group in self.optimizer.param_groups:
            group["lr"] = request["learningRate"]
        self.model.train()
        totals = torch.zeros(2, device=d, dtype=torch.float64)
        started = time.perf_counter()
        for step in range(steps):
            part = slice(step * batch, (step + 1) * batch)
            x, y = self.batch("train", order[part], (dy[part], dx[part], flip[part]))
            logits = self.model(x)
            loss = F.cross_entropy(logits, y)
            self.optimizer.zero_grad(set_to_none=True)
            loss.backward()
            self.optimizer.step()
            with torch.no_grad():
                totals += torch.stack([loss.double() * len(y), (logits.argmax(1) == y).sum().double()])
        loss_sum, correct = totals.tolist()
        return {"lossSum": loss_sum, "correct": correct, "seen": count, "seconds": time.perf_counter() - started}

    def evaluate(self, request):
        """Loss and accuracy on a set: of the snapshot with `"snapshot": true`, else of the network in training."""
        if request.get("snapshot"):
            model = self.shadow["model"]
        else:
            self.wait_training()
            model = self.model
        key = request["indices"]
        if key not in self.indices:
            self.indices[key] = read_bytes(key, request["count"], torch.int32, self.device).long()
        index = self.indices[key]
        model.eval()
        totals = torch.zeros(2, device=self.device, dtype=torch.float64)
        with torch.no_grad():
            for start in range(0, len(index), request["batchSize"]):
                x, y = self.batch(request["set"], index[start : start + request["batchSize"]])
                logits = model(x)
                loss = F.cross_entropy(logits, y, reduction="sum")
                totals += torch.stack([loss.double(), (logits.argmax(1) == y).sum().double()])
        loss_sum, correct = totals.tolist()
        return {"lossSum": loss_sum, "correct": correct, "seen": len(index)}

    def save(self, request):
        """Writes parameters, buffers and momentum slots (zeros before a parameter's first step) as float32: the
        snapshot's with `"snapshot": true`, else the network's in training."""
        if request.get("snapshot"):
            params, buffers, momentum = self.shadow["params"], self.shadow["buffers"], self.shadow["momentum"]
        else:
            self.wait_training()
            params, buffers = self.params, self.buffers
            momentum = {}
            for name, param in params.items():
                buffer = self.optimizer.state.get(param, {}).get("momentum_buffer")
                momentum[name] = torch.zeros_like(param) if buffer is None else buffer
        entries, chunks = [], []
        for tensors in (params, buffers):
            for name, tensor in tensors.items():
                entries.append({"name": name, "shape": list(tensor.shape)})
                chunks.append(tensor.detach().float().cpu().reshape(-1))
        for name in params:
            entries.append({"name": "momentum:" + name, "shape": list(params[name].shape)})
            chunks.append(momentum[name].detach().float().cpu().reshape(-1))
        flat = torch.cat(chunks).contiguous()
        with open(request["path"], "wb") as out:
            out.write(float_bytes(flat))
        return {"tensors": entries}

    def load(self, request):
        self.wait_training()
        expected = set(self.params) | set(self.buffers) | {"momentum:" + n for n in self.params}
        names = [t["name"] for t in request["tensors"]]
        if set(names) != expected or len(names) != len(expected):
            matching = (len(expected & set(names)), len(expected))
            raise Failure("the checkpoint's tensors are not this network's (%d of %d match)" % matching)
        self.assign(request["path"], request["tensors"], tf_layout=False)
        self.snapshot({})
        return {}


def float_bytes(flat):
    """Little-endian float32 bytes of a 1-d CPU tensor (numpy when torch has it, as Debian's does; else struct)."""
    try:
        return flat.numpy().astype("<f4").tobytes()
    except (ImportError, RuntimeError):
        import struct

        return struct.pack("<%df" % flat.numel(), *flat.tolist())


def prod(shape):
    result = 1
    for size in shape:
        result *= size
    return result


def main():
    session = Session()
    commands = {
        "hello": session.hello,
        "dataset": session.dataset_,
        "build": session.build,
        "train_epoch": session.train_epoch,
        "snapshot": session.snapshot,
        "evaluate": session.evaluate,
        "save": session.save,
        "load": session.load,
    }
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        request = json.loads(line)
        if request.get("cmd") == "train_epoch":
            session.wait_training()  # one epoch at a time
            session.training = threading.Thread(target=serve, args=(commands, request), daemon=True)
            session.training.start()
        else:
            serve(commands, request)
    session.wait_training()


def serve(commands, request):
    """Runs one request and writes its answer."""
    answer = {"id": request.get("id")}
    try:
        handler = commands.get(request.get("cmd"))
        if handler is None:
            raise Failure("unknown command %s" % request.get("cmd"))
        answer["result"] = handler(request)
    except Failure as error:
        answer["error"] = {"message": str(error), "kind": "request"}
    except Exception as error:  # a torch error: report it with its trace, keep serving
        message = "%s: %s" % (type(error).__name__, error)
        answer["error"] = {"message": message, "kind": "torch", "trace": traceback.format_exc()}
    with PROTOCOL_LOCK:
        PROTOCOL.write("\n" + MARKER + json.dumps(answer) + "\n")
        PROTOCOL.flush()


if __name__ == "__main__":
    main()
