#!/bin/sh
# Regenerates a tc capture file: the exact bytes `tc` (iproute2) sends for each command of a
# commands file (tc_commands.txt unless one is named),
# captured with strace in a throwaway network namespace (as root). The kernel may refuse a
# request (this machine lacks netem, cake, flower, ...): tc has sent it by then, which is all
# we need. nlmsg_seq is zeroed. Run from this directory, one commands file per capture file:
#   sh tc_capture.sh > tc_requests.txt
#   sh tc_capture.sh tc_act_commands.txt > tc_act_requests.txt
#   sh tc_capture.sh tc_filter_commands.txt > tc_filter_requests.txt
#   sh tc_capture.sh tc_qdisc2_commands.txt > tc_qdisc2_requests.txt
# and, with a tc from iproute2 7.1 first in PATH (this machine's 6.1 lacks fp and max-sdu):
#   PATH=/path/to/iproute2/tc:$PATH sh tc_capture.sh tc_qdisc2_fp_commands.txt > tc_qdisc2_fp_requests.txt
set -e
COMMANDS=${1:-tc_commands.txt}
NS=rtnl-tc-capture-$$
ip netns add "$NS"
trap 'ip netns del "$NS"' EXIT
ip -n "$NS" link set lo up
ip netns exec "$NS" tc qdisc add dev lo root handle 1: htb default 10 2>/dev/null || true
ip netns exec "$NS" tc qdisc add dev lo ingress 2>/dev/null || true
echo "# tc requests captured with strace from $(tc -V 2>&1 | head -1); dev lo is ifindex 1."
echo "# Each block: '> the command', then one hex line per netlink message it sent."
grep -v '^#' "$COMMANDS" | grep . | while IFS= read -r cmd; do
  echo "> $cmd"
  # shellcheck disable=SC2086
  eval "ip netns exec $NS strace -f -e trace=sendmsg -e write=all $cmd" 2>&1 >/dev/null | python3 -c '
import sys
msgs, cur = [], None
for line in sys.stdin:
    if line.startswith(" * ") and "bytes in buffer" in line:
        # One sendmsg may carry a message in several buffers (tc class show: header, tcmsg).
        if line.rstrip().endswith("buffer 0") or cur is None:
            cur = bytearray(); msgs.append(cur)
    elif line.startswith(" | ") and cur is not None:
        cur.extend(bytes.fromhex(line[10:59].replace(" ", "")))
    else:
        cur = None
for m in msgs:
    typ = int.from_bytes(m[4:6], "little")
    if 36 <= typ <= 50 or 100 <= typ <= 102:  # tc requests (not the RTM_GETLINK of a name lookup)
        m[8:12] = bytes(4)
        print(m.hex())
'
done
