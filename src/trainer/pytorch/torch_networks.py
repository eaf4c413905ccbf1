"""The networks of nashub's PyTorch backend, built from core's layer list (see torch_session.py). Depends on torch."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class Failure(Exception):
    """A request the session cannot serve; answered as an error with this message, the process keeps going."""


class Layers:
    """Core's layer list by name: each conv, batch norm and linear the network creates must be in it, sizes equal."""

    def __init__(self, layers):
        self.by_name = {layer["name"]: layer for layer in layers}
        self.used = set()
        self.modules = nn.ModuleDict()
        self.names = {}

    def take(self, name, kind):
        layer = self.by_name.get(name)
        if layer is None or layer["kind"] != kind:
            raise Failure("the network needs %s %s, which core's layer list does not have" % (kind, name))
        if name in self.used:
            raise Failure("layer %s is built twice" % name)
        self.used.add(name)
        return layer

    def add(self, name, module):
        key = name.replace(".", ":")
        self.modules[key] = module
        self.names[key] = name
        return module

    def conv(self, name, in_channels, out_channels, kernel, stride):
        layer = self.take(name, "conv")
        if (layer["inChannels"], layer["outChannels"], layer["kernel"], layer["stride"]) != (
            in_channels,
            out_channels,
            kernel,
            stride,
        ):
            raise Failure("conv %s differs from core's layer list" % name)
        padding = (kernel - 1) // 2
        return self.add(name, nn.Conv2d(in_channels, out_channels, kernel, stride, padding, bias=False))

    def bn(self, name, channels):
        layer = self.take(name, "batch-norm")
        if layer["channels"] != channels:
            raise Failure("batch norm %s differs from core's layer list" % name)
        return self.add(name, nn.BatchNorm2d(channels, eps=1e-5, momentum=0.1))

    def linear(self, name, in_features, out_features):
        layer = self.take(name, "linear")
        if (layer["inFeatures"], layer["outFeatures"]) != (in_features, out_features):
            raise Failure("linear %s differs from core's layer list" % name)
        return self.add(name, nn.Linear(in_features, out_features))

    def check_all_used(self):
        missing = sorted(set(self.by_name) - self.used)
        if missing:
            raise Failure("layers of core's list the network does not build: %s" % ", ".join(missing[:5]))

    def state(self):
        """Parameters and buffers under the tfjs networks' names (layer name + role), with PyTorch's layouts."""
        params, buffers = {}, {}
        for key, module in self.modules.items():
            name = self.names[key]
            if isinstance(module, nn.Conv2d):
                params[name + ".weight"] = module.weight
            elif isinstance(module, nn.BatchNorm2d):
                params[name + ".gamma"] = module.weight
                params[name + ".beta"] = module.bias
                buffers[name + ".runningMean"] = module.running_mean
                buffers[name + ".runningVariance"] = module.running_var
            else:
                params[name + ".weight"] = module.weight
                params[name + ".bias"] = module.bias
        return params, buffers


class Nb201Cell(nn.Module):
    """NAS-Bench-201's cell: node j sums op(node i) over its non-`none` edges; only nodes that reach node 3 run."""

    def __init__(self, layers, name, channels, edges):
        super().__init__()
        self.edges = []
        for index, (to, frm, op) in enumerate(edges):
            edge = "%s.edge[%d<-%d]" % (name, to, frm)
            if op in ("nor_conv_1x1", "nor_conv_3x3"):
                kernel = 1 if op == "nor_conv_1x1" else 3
                conv = layers.conv(edge + ".conv", channels, channels, kernel, 1)
                bn = layers.bn(edge + ".bn", channels)
                apply = (lambda conv, bn: lambda x: bn(conv(F.relu(x))))(conv, bn)
            elif op == "avg_pool_3x3":
                apply = lambda x: F.avg_pool2d(x, 3, 1, 1, count_include_pad=False)  # noqa: E731
            elif op == "skip_connect":
                apply = lambda x: x  # noqa: E731
            elif op == "none":
                apply = None
            else:
                raise Failure("unknown nb201 op %s" % op)
            self.edges.append((to, frm, apply))

    def forward(self, x):
        nodes = {0: x}

        def node(index):
            if index not in nodes:
                terms = [apply(node(frm)) for to, frm, apply in self.edges if to == index and apply is not None]
                nodes[index] = torch.zeros_like(x) if not terms else sum(terms[1:], terms[0])
            return nodes[index]

        return node(3)


class Nb201Reduction(nn.Module):
    """The residual reduction block: ReLU → conv3x3 s2 → BN → ReLU → conv3x3 → BN, plus avg-pool 2 → conv1x1."""

    def __init__(self, layers, name, in_channels, out_channels):
        super().__init__()
        self.conv_a = layers.conv(name + ".conv_a", in_channels, out_channels, 3, 2)
        self.bn_a = layers.bn(name + ".bn_a", out_channels)
        self.conv_b = layers.conv(name + ".conv_b", out_channels, out_channels, 3, 1)
        self.bn_b = layers.bn(name + ".bn_b", out_channels)
        self.shortcut = layers.conv(name + ".shortcut.conv", in_channels, out_channels, 1, 1)

    def forward(self, x):
        a = self.bn_a(self.conv_a(F.relu(x)))
        b = self.bn_b(self.conv_b(F.relu(a)))
        return b + self.shortcut(F.avg_pool2d(x, 2, 2, 0))


class Nb201Network(nn.Module):
    """NAS-Bench-201's TinyNetwork, as core's describeNb201Network lists it and the tfjs Nb201Network builds it."""

    def __init__(self, layers, spec):
        super().__init__()
        C, N = spec["C"], spec["N"]
        self.stem_conv = layers.conv("stem.conv", spec["inputChannels"], C, 3, 1)
        self.stem_bn = layers.bn("stem.bn", C)
        blocks, channels = [], C
        for stage in range(3):
            if stage > 0:
                blocks.append(Nb201Reduction(layers, "reduction%d" % stage, channels, channels * 2))
                channels *= 2
            for cell in range(N):
                blocks.append(Nb201Cell(layers, "stage%d.cell%d" % (stage, cell), channels, spec["edges"]))
        self.blocks = nn.ModuleList(blocks)
        self.last_bn = layers.bn("lastact.bn", channels)
        self.classifier = layers.linear("classifier", channels, spec["numClasses"])

    def forward(self, x):
        h = self.stem_bn(self.stem_conv(x))
        for block in self.blocks:
            h = block(h)
        return self.classifier(F.relu(self.last_bn(h)).mean(dim=(2, 3)))


def conv_bn_relu(layers, name, in_channels, out_channels, kernel):
    conv = layers.conv(name + ".conv", in_channels, out_channels, kernel, 1)
    bn = layers.bn(name + ".bn", out_channels)
    return lambda x: F.relu(bn(conv(x)))


class Nb101Cell(nn.Module):
    """NAS-Bench-101's module (model_builder.build_module), as the tfjs Nb101Network builds it."""

    def __init__(self, layers, name, in_channels, out_channels, matrix, ops, channels):
        super().__init__()
        n = len(matrix)
        self.matrix, self.n, self.channels = matrix, n, channels
        self.projections, self.vertex_ops = {}, {}
        for t in range(1, n - 1):
            if matrix[0][t]:
                projection = "%s.vertex%d.projection" % (name, t)
                self.projections[t] = conv_bn_relu(layers, projection, in_channels, channels[t], 1)
            op = ops[t]
            if op == "conv3x3-bn-relu":
                self.vertex_ops[t] = conv_bn_relu(layers, "%s.vertex%d" % (name, t), channels[t], channels[t], 3)
            elif op == "conv1x1-bn-relu":
                self.vertex_ops[t] = conv_bn_relu(layers, "%s.vertex%d" % (name, t), channels[t], channels[t], 1)
            elif op == "maxpool3x3":
                self.vertex_ops[t] = lambda x: F.max_pool2d(x, 3, 1, 1)
            else:
                raise Failure("unknown nb101 op %s" % op)
        self.output_projection = None
        if matrix[0][n - 1]:
            self.output_projection = conv_bn_relu(layers, name + ".output.projection", in_channels, out_channels, 1)

    def forward(self, x):
        matrix, n = self.matrix, self.n
        values, concatenated = [x], []
        for t in range(1, n - 1):
            terms = [values[frm][:, : self.channels[t]] for frm in range(1, t) if matrix[frm][t]]
            if matrix[0][t]:
                terms.append(self.projections[t](x))
            values.append(self.vertex_ops[t](sum(terms[1:], terms[0])))
            if matrix[t][n - 1]:
                concatenated.append(values[t])
        if not concatenated:
            return self.output_projection(x)
        output = concatenated[0] if len(concatenated) == 1 else torch.cat(concatenated, dim=1)
        return output if self.output_projection is None else output + self.output_projection(x)


def max_pool_same(x):
    """TF's 2×2 stride-2 `same` max-pool: an odd size is padded at the bottom and right (7 × 7 → 4 × 4)."""
    pad_h, pad_w = x.shape[2] % 2, x.shape[3] % 2
    if pad_h or pad_w:
        x = F.pad(x, (0, pad_w, 0, pad_h), value=float("-inf"))
    return F.max_pool2d(x, 2, 2)


class Nb101Network(nn.Module):
    """NAS-Bench-101's network (model_builder.build_model_fn), as core's describeNb101Network lists it."""

    def __init__(self, layers, spec):
        super().__init__()
        self.stem = conv_bn_relu(layers, "stem", spec["inputChannels"], spec["C"], 3)
        steps, channels = [], spec["C"]
        for stack in range(spec["stacks"]):
            out_channels = channels
            if stack > 0:
                steps.append(max_pool_same)
                out_channels = channels * 2
            for cell in range(spec["N"]):
                vertex = spec["vertexChannels"][stack][cell]
                name = "stack%d.cell%d" % (stack, cell)
                steps.append(Nb101Cell(layers, name, channels, out_channels, spec["matrix"], spec["ops"], vertex))
                channels = out_channels
        self.steps = steps  # pools and cells in order; the cells are registered (for .to, .train) below
        self.cells = nn.ModuleList([step for step in steps if isinstance(step, nn.Module)])
        self.classifier = layers.linear("classifier", channels, spec["numClasses"])

    def forward(self, x):
        h = self.stem(x)
        for step in self.steps:
            h = step(h)
        return self.classifier(h.mean(dim=(2, 3)))


NETWORKS = {"nb201": Nb201Network, "nb101": Nb101Network}
