import sys

from explainer.site.incremental.runner import main

sys.exit(main())
