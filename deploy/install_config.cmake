# Installs the agent's systemd unit and its settings file, run by
# `cmake --install` (and by CPack). Done at install time because both depend
# on the prefix given then: the unit runs <prefix>/bin/agent, and settings go
# to /etc when the prefix is /usr (the packages), else to <prefix>/etc.
#
# Expects SOURCE_DIR; reads CMAKE_INSTALL_PREFIX and DESTDIR as install sets them.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(sysconf "/etc")
else()
  set(sysconf "${CMAKE_INSTALL_PREFIX}/etc")
endif()
set(root "$ENV{DESTDIR}")

file(READ "${SOURCE_DIR}/deploy/systemd/netshard-agent.service" unit)
string(REPLACE "/usr/local/bin/netshard-agent" "${CMAKE_INSTALL_PREFIX}/bin/agent" unit "${unit}")
string(REPLACE "/etc/netshard/" "${sysconf}/netshard/" unit "${unit}")
# The header's manual-install recipe does not apply to an installed unit.
string(REGEX REPLACE "^# netshard agent:[^\n]*\n(#[^\n]*\n)*" "" unit "${unit}")
string(PREPEND unit "# netshard agent: runs device jobs for coordinators, near one network segment.\n"
       "# Settings: ${sysconf}/netshard/agent.env; then systemctl enable --now netshard-agent.\n")
set(unit_dir "${root}${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
file(MAKE_DIRECTORY "${unit_dir}")
file(WRITE "${unit_dir}/netshard-agent.service" "${unit}")
message(STATUS "Installing: ${unit_dir}/netshard-agent.service")

# A settings file already there is the administrator's: never overwritten.
# (file(INSTALL) puts DESTDIR in front by itself.)
if(NOT EXISTS "${root}${sysconf}/netshard/agent.env")
  file(INSTALL "${SOURCE_DIR}/deploy/systemd/netshard-agent.env" DESTINATION "${sysconf}/netshard"
       RENAME agent.env FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
endif()
