#!/usr/bin/env python3
"""A minimal SMTP sink for the README walk-through and CI: accepts every message on HOST PORT and
writes each one, dot-unstuffed, to DIR/<n>.eml. Not a product component."""
import asyncio
import itertools
import os
import sys

counter = itertools.count(1)


async def session(reader, writer, outdir):
    writer.write(b"220 sink.test ESMTP sink\r\n")
    await writer.drain()
    while True:
        line = await reader.readline()
        if not line:
            break
        verb = line[:4].upper()
        if verb == b"EHLO":
            writer.write(b"250-sink.test\r\n250-8BITMIME\r\n250 SIZE 104857600\r\n")
        elif verb == b"DATA":
            writer.write(b"354 go ahead\r\n")
            await writer.drain()
            body = bytearray()
            while True:
                chunk = await reader.readline()
                if not chunk or chunk == b".\r\n":
                    break
                body += chunk[1:] if chunk.startswith(b".") else chunk
            n = next(counter)
            with open(os.path.join(outdir, "%06d.eml" % n), "wb") as f:
                f.write(body)
            writer.write(b"250 2.0.0 ok: queued as %d\r\n" % n)
        elif verb == b"QUIT":
            writer.write(b"221 2.0.0 bye\r\n")
            await writer.drain()
            break
        else:
            writer.write(b"250 2.0.0 ok\r\n")
        await writer.drain()
    writer.close()


async def main(host, port, outdir):
    os.makedirs(outdir, exist_ok=True)
    server = await asyncio.start_server(lambda r, w: session(r, w, outdir), host, port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]))
