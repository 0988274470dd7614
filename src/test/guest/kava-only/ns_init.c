/* The /proc/self/ns links of a process in the initial namespaces: the fixed inode numbers of
 * include/linux/proc_ns.h (mnt and net are allocated at boot, so left out). ns_init.expected
 * is what this program prints natively on a Linux 6.18 host in its initial namespaces (the
 * same numbers `readlink /proc/self/ns/uts` and so on give there). */
#include <stdio.h>
#include <unistd.h>

int main(void) {
    const char *kinds[] = {"uts", "ipc", "user", "pid", "pid_for_children", "cgroup", "time", "time_for_children"};
    for (unsigned i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        char path[64], buf[64];
        snprintf(path, sizeof path, "/proc/self/ns/%s", kinds[i]);
        ssize_t n = readlink(path, buf, sizeof buf - 1);
        if (n < 0) {
            perror(path);
            return 1;
        }
        buf[n] = 0;
        printf("%s -> %s\n", kinds[i], buf);
    }
    return 0;
}
