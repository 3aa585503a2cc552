#!/bin/sh
# Rebuild the seed corpus of regress/fuzz/fuzz_elf from the seed sources
# here.  Run from the top of the tree.  The seeds have no .o suffix, which
# .gitignore would hide, and each stays under 4 KiB.
set -e
d=regress/fuzz/corpus/elf
s=regress/elf
mkdir -p $d
gcc -O2 -c -fno-asynchronous-unwind-tables -o $d/gcc $s/seed.c
gcc -O2 -c -fPIC -fcommon -o $d/gcc-pic-eh $s/seed.c
clang -O2 -c -fno-pie -fno-asynchronous-unwind-tables -o $d/clang-nopie \
    $s/seed.c
nasm -f elf64 -o $d/nasm $s/seed.asm
as -o $d/as $s/seed.s
/usr/bin/python3 -m peachpy.x86_64 -mabi=sysv -mimage-format=elf \
    -o $d/peachpy $s/seed.py
strip --strip-debug $d/gcc $d/gcc-pic-eh $d/clang-nopie $d/nasm $d/as \
    $d/peachpy
ls -l $d
