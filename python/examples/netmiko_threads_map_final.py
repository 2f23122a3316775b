# The course's netmiko_threads_map_final.py on netshard: results in input
# order, {ip: output} each. What changed: the imports, no connect_ssh, and
# executor.map takes the devices and the command.
from pprint import pprint

import yaml
import netshard


def threads_conn(devices, limit=2, command=''):
    with netshard.Executor(max_workers=limit) as executor:
        f_result = executor.map(devices, command)
        return list(f_result)


if __name__ == '__main__':
    devices = yaml.safe_load(open('devices.yaml'))
    all_done = threads_conn(devices['routers'], command='sh clock')
    pprint(all_done)
