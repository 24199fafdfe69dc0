from django.db import InterfaceError, OperationalError

# A database that cannot be reached (stopped, restarting, out of connections) raises these.
DATABASE_DOWN = (OperationalError, InterfaceError)
