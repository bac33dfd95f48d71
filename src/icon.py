#!/usr/bin/env python3
"""Writes src/icon.png, the packages' icon (128x128 RGBA): three stacked layers, the top one lit.
Plain zlib PNG, no imaging library: python3 src/icon.py"""
import os, struct, zlib

SIZE = 128
# (top y of the layer's front edge, colour) from the bottom layer up
LAYERS = [(92, (30, 64, 120)), (64, (40, 100, 180)), (36, (255, 140, 40))]
THICK, SKEW = 18, 22  # front height of a layer, horizontal offset of its back edge

def layer_pixel(x, y):
    colour = None
    for top, (r, g, b) in LAYERS:  # later layers paint over earlier ones
        # a parallelogram: the top face slants back by SKEW over THICK rows, the front is a band
        if top - THICK <= y < top:  # top face: shifted right as it goes back
            shift = (top - y) * SKEW // THICK
            if 14 + shift <= x < 92 + shift:
                colour = (min(r + 50, 255), min(g + 50, 255), min(b + 50, 255), 255)
        elif top <= y < top + 10 and 14 <= x < 92:  # front face
            colour = (r, g, b, 255)
        elif top - THICK <= y < top + 10 and 92 <= x < 92 + SKEW:  # side face
            shift = (top - y) * SKEW // THICK
            if x < 92 + max(shift, 0) and y < top + 10 - (x - 92) * 10 // SKEW + 10:
                colour = (max(r - 20, 0), max(g - 20, 0), max(b - 20, 0), 255)
    return colour or (0, 0, 0, 0)

rows = b"".join(b"\x00" + bytes(c for x in range(SIZE) for c in layer_pixel(x, y)) for y in range(SIZE))

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "icon.png"), "wb") as f:
    f.write(png)
