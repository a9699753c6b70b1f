"""How much a chat import may read. An upload is untrusted: these bound the memory and time one
file can cost before it is refused with a clear message."""

MAX_INPUT_BYTES = 50 * 1024 * 1024  # the uploaded file or the pasted text
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024  # everything inside a zip, added up
MAX_MEMBER_BYTES = 50 * 1024 * 1024  # one file inside a zip (a Slack day file is far smaller)
MAX_MEMBERS = 50_000  # files in a zip (a year of 100 busy channels is ~36,500)
MAX_RATIO = 200  # uncompressed / compressed; chat JSON compresses ~10-30x
RATIO_FLOOR_BYTES = 1024 * 1024  # members smaller than this are not ratio-checked
MAX_EVENTS_PER_IMPORT = 5_000  # events one import may add: a day of a busy incident channel
MAX_TIMELINE_EVENTS = 20_000  # events a timeline may hold in all, whatever their source
