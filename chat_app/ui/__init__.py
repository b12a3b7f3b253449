"""What people see: components and pages that render state and send events."""
