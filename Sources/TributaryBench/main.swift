print("tributary-bench: under construction")
