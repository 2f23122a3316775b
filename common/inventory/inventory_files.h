// Finding an inventory's files: the folder it is in, the files beside it.
#ifndef NETSHARD_COMMON_INVENTORY_INVENTORY_FILES_H_
#define NETSHARD_COMMON_INVENTORY_INVENTORY_FILES_H_

#include <string>
#include <utility>
#include <vector>

namespace netshard {

bool PathExists(const std::string& path);
bool IsFolder(const std::string& path);
// The folder holding `path` ("." for a bare name).
std::string FolderOf(const std::string& path);
std::string BaseNameOf(const std::string& path);
// The first of `folder`/`name` + each of `extensions` that exists; empty if none.
std::string FindBeside(const std::string& folder, const std::string& name,
                       const std::vector<std::string>& extensions = {".yaml", ".yml"});
// The entries of `folder`, sorted by name, with whether each is a folder;
// none if it is no folder.
std::vector<std::pair<std::string, bool>> EntriesIn(const std::string& folder);

}  // namespace netshard

#endif  // NETSHARD_COMMON_INVENTORY_INVENTORY_FILES_H_
