#!/usr/bin/env python3
"""PyTorch doing the tutorial MLP (784-512-10, relu, dropout 0.2, Adam eps 1e-7, batch 32) for the
same number of samples and epochs as the Layerwise probe, on the same device, in the same run.
Prints one JSON line: {"device": ..., "ms_per_epoch": [...]}.
Optional 5th/6th arguments: "wide" (784-2048-2048-10, no dropout, as GpuProbe's large mode) and the batch size."""
import gzip, json, os, struct, sys, time
import torch

def idx(path):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    rank = data[3]
    shape = struct.unpack('>' + 'I' * rank, data[4:4 + 4 * rank])
    return torch.frombuffer(bytearray(data[4 + 4 * rank:]), dtype=torch.uint8).reshape(shape)

root, device_name, samples, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
wide = len(sys.argv) > 5 and sys.argv[5] == 'wide'
batch = int(sys.argv[6]) if len(sys.argv) > 6 else 32
device = torch.device(device_name)
x = idx(os.path.join(root, 'train-images-idx3-ubyte.gz'))[:samples].reshape(-1, 784).float().div(255).to(device)
y = idx(os.path.join(root, 'train-labels-idx1-ubyte.gz'))[:samples].long().to(device)
torch.manual_seed(0)
if wide:
    model = torch.nn.Sequential(torch.nn.Linear(784, 2048), torch.nn.ReLU(), torch.nn.Linear(2048, 2048), torch.nn.ReLU(), torch.nn.Linear(2048, 10)).to(device)
else:
    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Dropout(0.2), torch.nn.Linear(512, 10)).to(device)
opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
times = []
for epoch in range(epochs):
    if device.type == 'cuda': torch.cuda.synchronize()
    start = time.perf_counter()
    order = torch.randperm(samples, device=device)
    loss_sum = torch.zeros((), device=device, dtype=torch.float64)
    correct = torch.zeros((), device=device, dtype=torch.float64)
    for s in range(0, samples, batch):
        idx_b = order[s:s + batch]
        xb, yb = x[idx_b], y[idx_b]
        logits = model(xb)
        loss = torch.nn.functional.cross_entropy(logits, yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            loss_sum += loss.detach().double() * len(idx_b)
            correct += (logits.argmax(-1) == yb).sum().double()
    acc = (correct / samples).item()
    times.append((time.perf_counter() - start) * 1000)
print(json.dumps({"device": str(device), "model": "wide" if wide else "tutorial", "batch": batch, "torch": torch.__version__, "ms_per_epoch": times, "final_accuracy": acc}))
