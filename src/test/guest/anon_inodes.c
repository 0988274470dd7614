/* Files made by anon_inode_getfile share one inode, have noop_llseek and show anon_inode:NAME; a pidfd (pidfs) is neither. */
#include <stdio.h>
#include <errno.h>
#include <unistd.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <signal.h>
int main(){ sigset_t m; sigemptyset(&m);
int fds[7]={eventfd(0,0),eventfd(0,0),epoll_create1(0),signalfd(-1,&m,0),timerfd_create(CLOCK_MONOTONIC,0),inotify_init1(0),syscall(SYS_pidfd_open,getpid(),0)};
const char *n[7]={"eventfd","eventfd2","epoll","signalfd","timerfd","inotify","pidfd"};
struct stat s0; fstat(fds[0],&s0);
for(int i=0;i<7;i++){ struct stat s; fstat(fds[i],&s); errno=0; long r=lseek(fds[i],5,SEEK_SET); char p[64],l[128]; snprintf(p,64,"/proc/self/fd/%d",fds[i]); ssize_t k=readlink(p,l,127); l[k>0?k:0]=0;
 printf("%s same_ino=%d mode=%o lseek=%ld errno=%s link=%s\n",n[i],s.st_ino==s0.st_ino && s.st_dev==s0.st_dev,s.st_mode,r,strerror(errno),l);} }
