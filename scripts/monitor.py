#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""monitor.py RESULTS-LOG MONITOR-SOCKET: run guest requests on the qemu monitor.

A guest test that needs the host, for example to resize a virtio-mem device,
prints "@@HOST <monitor command>" to the results port; this runs each such
command once on qemu's human monitor and stops at "@@DONE" or when qemu goes.
"""
import os
import socket
import sys
import time

log, sock_path = sys.argv[1], sys.argv[2]
deadline = time.time() + 30
while not os.path.exists(sock_path):
    if time.time() > deadline:
        sys.exit('monitor socket never appeared')
    time.sleep(0.1)
mon = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
mon.connect(sock_path)
mon.settimeout(0.5)

done = 0
while True:
    try:
        lines = open(log, errors='replace').read().splitlines()
    except FileNotFoundError:
        lines = []
    for line in lines[done:]:
        if line.startswith('@@HOST '):
            cmd = line[len('@@HOST '):].strip()
            print(f'monitor: {cmd}', flush=True)
            mon.sendall(cmd.encode() + b'\n')
        elif line.startswith('@@DONE'):
            sys.exit(0)
    done = len(lines)
    try:
        if mon.recv(4096) == b'':
            sys.exit(0)
    except socket.timeout:
        pass
    except OSError:
        sys.exit(0)
