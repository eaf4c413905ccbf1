/**
 * The NB201 network of `bench trainer` in PyTorch (NAS-Bench-201's TinyNetwork, as core's describeNb201Network
 * documents it), one SGD step timed like the tfjs one. Run as `python3 - ARCH C N IN_CHANNELS SIZE BATCH STEPS WARMUP`
 * with this text on stdin; prints one JSON line.
 */
export const TRAINER_TORCH_SCRIPT = String.raw`
import json, sys, time
import torch
import torch.nn as nn

arch, C, N, cin, size, batch, steps, warmup = sys.argv[1], *map(int, sys.argv[2:9])
dev = 'cuda' if torch.cuda.is_available() else 'cpu'
torch.manual_seed(0)

def rcb(ci, co, k, s, p):
    return nn.Sequential(nn.ReLU(), nn.Conv2d(ci, co, k, s, p, bias=False), nn.BatchNorm2d(co))

class Zero(nn.Module):
    def forward(self, x):
        return x.mul(0.0)

OPS = {
    'none': lambda c: Zero(),
    'skip_connect': lambda c: nn.Identity(),
    'nor_conv_1x1': lambda c: rcb(c, c, 1, 1, 0),
    'nor_conv_3x3': lambda c: rcb(c, c, 3, 1, 1),
    'avg_pool_3x3': lambda c: nn.AvgPool2d(3, 1, 1, count_include_pad=False),
}
NODES = [[(t.split('~')[0], int(t.split('~')[1])) for t in part.split('|') if t] for part in arch.split('+')]

class Cell(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.edges = nn.ModuleList([OPS[op](c) for node in NODES for op, _ in node])
    def forward(self, x):
        states, i = [x], 0
        for node in NODES:
            total = 0
            for op, j in node:
                total = total + self.edges[i](states[j])
                i += 1
            states.append(total)
        return states[-1]

class Reduction(nn.Module):
    def __init__(self, ci, co):
        super().__init__()
        self.conv_a, self.conv_b = rcb(ci, co, 3, 2, 1), rcb(co, co, 3, 1, 1)
        self.down = nn.Sequential(nn.AvgPool2d(2, 2, 0), nn.Conv2d(ci, co, 1, 1, 0, bias=False))
    def forward(self, x):
        return self.down(x) + self.conv_b(self.conv_a(x))

layers, c = [nn.Conv2d(cin, C, 3, padding=1, bias=False), nn.BatchNorm2d(C)], C
for stage in range(3):
    if stage > 0:
        layers.append(Reduction(c, 2 * c))
        c *= 2
    layers += [Cell(c) for _ in range(N)]
layers += [nn.BatchNorm2d(c), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 10)]
model = nn.Sequential(*layers).to(dev)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
loss_fn = nn.CrossEntropyLoss()
x = torch.randn(batch, cin, size, size, device=dev)
y = torch.randint(0, 10, (batch,), device=dev)

def step():
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    return loss

def sync():
    if dev == 'cuda':
        torch.cuda.synchronize()

for _ in range(warmup):
    step()
sync()
start = time.perf_counter()
for _ in range(steps):
    step()
sync()
seconds = (time.perf_counter() - start) / steps
name = torch.cuda.get_device_name(0) if dev == 'cuda' else 'cpu (%d threads)' % torch.get_num_threads()
print(json.dumps({'imagesPerSecond': batch / seconds, 'msPerStep': seconds * 1000, 'batch': batch, 'steps': steps,
                  'device': name, 'torch': torch.__version__, 'params': sum(p.numel() for p in model.parameters())}))
`;
