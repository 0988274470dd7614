/**
 * Character devices of drivers/char (Java cannot name a package {@code char}): the memory
 * devices of mem.c, random.c's /dev/random and /dev/urandom, and for now /dev/tty and
 * /dev/console, whose Linux home is drivers/tty/tty_io.c.
 */
package dev.kava.drivers.chr;
