"""Icons as Streamlit's bundled Material symbols. Emoji need a colour-emoji font that many browsers
lack (they draw an empty box), so marks that carry meaning — a gate passed or blocking — use these."""

PASSED = ":material/check_circle:"
BLOCKS = ":material/block:"
FAILED = ":material/cancel:"
GUIDE = ":material/explore:"
READ = ":material/menu_book:"
LOCKED = ":material/lock:"
ADD = ":material/add:"
DOWNLOAD_ALL = ":material/folder_zip:"
SUGGESTION = ":material/lightbulb:"
