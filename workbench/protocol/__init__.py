"""The pure DLMS/COSEM protocol core: bytes in, typed values and field trees out.

No sockets, threads, clocks or Qt (an import-linter contract holds it). The subpackages are
the layers of the IEC 62056 stack, bottom to top; each has one public face (its
``__init__``) that everyone, inside this package and out, imports from:

* ``errors``   — the one ``ProtocolError`` family every decoder raises;
* ``fields``   — byte-span field trees (``Node``, ``Recorder``) and the bounded ``Cursor``;
* ``hdlc``     — IEC 62056-46 data link: CRC, addresses, frames, SNRM/UA parameters, the
  incremental frame reader and the sans-IO client/server link stations;
* ``axdr``     — A-XDR encoding of the ``Data`` CHOICE and COSEM date/time;
* ``cosem``    — IEC 62056-6-1/6-2 application model: OBIS, interface classes, units;
* ``apdu``     — IEC 62056-5-3 application layer: ACSE and the xDLMS services;
* ``dissect``  — explains captured bytes: one field tree per frame, down to the leaves.
"""
