// Every SSH session holds a socket; the usual soft limit of 1024 open files
// would cap a run near a thousand devices.
#ifndef NETSHARD_COMMON_FILE_LIMIT_H_
#define NETSHARD_COMMON_FILE_LIMIT_H_

namespace netshard {

// Raises this process's soft RLIMIT_NOFILE to its hard limit; returns the
// limit now in force.
long RaiseOpenFileLimit();

}  // namespace netshard

#endif  // NETSHARD_COMMON_FILE_LIMIT_H_
