# The course's netmiko_threads_submit_exception.py on netshard: one future
# per device, handled as each completes; a device whose login fails raises
# NetMikoAuthenticationException from result(), as with Netmiko.
from concurrent.futures import as_completed
from pprint import pprint

import yaml
import netshard
from netshard import NetMikoAuthenticationException


def threads_conn(devices, limit=2, command=''):
    all_results = {}
    with netshard.Executor(max_workers=limit) as executor:
        future_ssh = [executor.submit(device, command)
                      for device in devices]
        for f in as_completed(future_ssh):
            try:
                result = f.result()
            except NetMikoAuthenticationException as e:
                print(e)
            else:
                all_results.update(result)
    return all_results


if __name__ == '__main__':
    devices = yaml.safe_load(open('devices.yaml'))
    all_done = threads_conn(devices['routers'], command='sh clock')
    pprint(all_done)
