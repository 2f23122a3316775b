# The Debian packages: `deploy/package.sh`, or `cpack -G DEB` in a build tree.
# Depends come from the libraries the binaries link (dpkg-shlibdeps).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME netshard)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR netshard)
set(CPACK_PACKAGE_CONTACT "netshard maintainers <netshard@users.noreply.github.com>")
# The install scripts see the real prefix (/usr) and put files under DESTDIR,
# so the unit names /usr/bin/agent and the settings land in /etc.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL coord agent)
if(TARGET netshard_python)
  list(APPEND CPACK_COMPONENTS_ALL python)
  list(GET NETSHARD_PYTHON_RELEASES 0 python_release)
  list(GET NETSHARD_PYTHON_RELEASES 1 python_next)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE https://github.com/netshard/netshard)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_COORD_PACKAGE_NAME netshard)
set(CPACK_COMPONENT_COORD_DESCRIPTION
    "CLI commands on many network devices over SSH at once
coord runs show commands or configuration on every device of an inventory in
parallel, from this machine or through netshard agents near each network
segment, and reports one result per device. Includes devsim, a simulated
fleet on loopback to try it on.")
set(CPACK_DEBIAN_COORD_PACKAGE_SUGGESTS netshard-agent)

set(CPACK_DEBIAN_AGENT_PACKAGE_NAME netshard-agent)
set(CPACK_COMPONENT_AGENT_DESCRIPTION
    "netshard agent: runs device jobs near a network segment
The agent takes device jobs from netshard coordinators over gRPC with mutual
TLS, runs them over SSH and streams the results back. Installs a systemd unit,
not enabled until configured in /etc/netshard/agent.env.")
set(CPACK_DEBIAN_AGENT_PACKAGE_SUGGESTS netshard)
set(CPACK_DEBIAN_AGENT_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_SOURCE_DIR}/debian/postinst ${CMAKE_CURRENT_SOURCE_DIR}/debian/prerm
    ${CMAKE_CURRENT_SOURCE_DIR}/debian/postrm ${CMAKE_CURRENT_SOURCE_DIR}/debian/conffiles)

set(CPACK_DEBIAN_PYTHON_PACKAGE_NAME python3-netshard)
set(CPACK_COMPONENT_PYTHON_DESCRIPTION
    "netshard for Python: import netshard
The concurrent.futures shapes of the Python course's Netmiko scripts
(Executor.map, as_completed, submit, NetMikoAuthenticationException) run by
netshard's engine, in-process or through netshard agents.")
# The module is built for this python3 (its ABI tag names the version).
set(CPACK_DEBIAN_PYTHON_PACKAGE_DEPENDS
    "python3 (>= ${python_release}), python3 (<< ${python_next})")
set(CPACK_DEBIAN_PYTHON_PACKAGE_SUGGESTS "netshard, python3-yaml")

include(CPack)
