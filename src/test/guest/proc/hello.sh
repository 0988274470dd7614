#!./exec script-arg
this line is never read by a shell
