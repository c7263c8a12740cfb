import sys

from explainer.incremental.runner import main

sys.exit(main())
