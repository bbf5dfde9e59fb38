"""Gunicorn settings read from the working directory by every `gunicorn` command here
(Dockerfile, docker-compose, the benchmark); command-line flags still win.

Preloading imports Django and every view once in the master (config/wsgi.py) and forks
the workers from it: a worker serves at full speed from its first request and shares
the imported code with the others, instead of each one spending about a second of CPU
importing on its first requests. The app opens no database or broker connection while
loading, so nothing is shared across the fork. Deploy new code by restarting the
server (a HUP reloads the workers but not the preloaded code).
"""

preload_app = True
